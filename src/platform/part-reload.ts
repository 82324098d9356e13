/** The sessionStorage mark of a page reloaded because a part of the app's code could not be fetched. */
const MARK = 'spm-part-reload';

/**
 * The app's code could not be fetched at start. A network change mid-load (a phone roaming between mesh
 * access points; Chromium calls it ERR_NETWORK_CHANGED) fails every request in flight, and some browsers
 * (Chromium 150) keep a failed module import failed for the page's whole life, so loadModule's tries in
 * the same page cannot help: a fresh page can. Reloads once; true if it did, false if this page is
 * already that reload (then the person is told in plain words, as before).
 */
export function reloadOnceForMissingPart(): boolean {
  try {
    if (sessionStorage.getItem(MARK)) return false;
    sessionStorage.setItem(MARK, '1');
  } catch {
    return false; // no session storage: a reload could loop
  }
  location.reload();
  return true;
}

/** The app's code arrived: a later failure may reload once again. */
export function partsArrived(): void {
  try {
    sessionStorage.removeItem(MARK);
  } catch {
    // nothing to clear
  }
}
