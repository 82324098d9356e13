/**
 * How many history entries the app has added on top of the one it opened in. The browser will not let a
 * page delete entries, so to leave without Back returning into the app the page first walks back to its
 * first entry and replaces that one: then no entry of the app is left behind the harmless page.
 * The depth rides in history.state, so it survives reloads (the wipe finishes on a reload).
 */
const KEY = 'spmDepth';

function depthOf(state: unknown): number | null {
  const d = (state as Record<string, unknown> | null)?.[KEY];
  return typeof d === 'number' && Number.isInteger(d) && d >= 0 && d < 100_000 ? d : null;
}

let depth = 0;

function mark(d: number): void {
  depth = d;
  history.replaceState({ ...(history.state as object | null), [KEY]: d }, '');
}

/** Called once at start: new entries (hash links) get depth+1, Back/Forward read theirs. */
export function trackHistoryDepth(): void {
  mark(depthOf(history.state) ?? 0);
  // A hash link fires hashchange (and, in most browsers, popstate): whichever comes first marks the new entry.
  const seen = () => {
    const known = depthOf(history.state);
    if (known !== null) depth = known;
    else mark(depth + 1);
  };
  addEventListener('popstate', seen);
  addEventListener('hashchange', seen);
}

/** Waits at most this long for the walk back before replacing wherever the page is. */
const WALK_BACK_MS = 1500;

/**
 * Leaves for `url` so that Back does not come back: hide everything at once, walk back over the app's own
 * entries, then replace the first one.
 */
export function leaveWithoutTrace(url: string): void {
  document.documentElement.style.visibility = 'hidden';
  const steps = depthOf(history.state) ?? depth;
  if (steps === 0) return location.replace(url);
  let gone = false;
  const go = () => {
    if (gone) return;
    gone = true;
    location.replace(url);
  };
  addEventListener('popstate', go, { once: true });
  setTimeout(go, WALK_BACK_MS);
  history.go(-steps);
}
