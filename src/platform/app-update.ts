/**
 * What the page does when a new copy of the app takes over (its service worker activated: the hub was
 * upgraded, or the copy another tab or an earlier load installed finished arriving).
 *
 * vite-plugin-pwa's default reloads the page at once, which lands under the person's hands: in the middle
 * of the welcome questions or a post, with what they typed gone (a CI run saw a page reload just as Join
 * was tapped). Nothing forces the hurry: the old page keeps working with the code it has, and a screen
 * whose code is gone reloads by itself when opened (part-reload.ts). So the reload waits for the next move
 * to another screen, where nothing is being typed, and first writes out what the docs hold in memory.
 * A phone with a PIN is left alone: a reload shows the PIN screen, which mid-move would look like a
 * lock-out; its idle lock reloads it soon enough.
 */
export interface UpdateMoment {
  /** Writes out what would be lost (the phone client's docs). */
  settle: () => Promise<void>;
  /** True while the page must not reload (a PIN phone). */
  hold: () => boolean;
}

/** The `onNeedReload` for registerSW: arms one reload at the next move between screens. */
export function reloadAtNextMove(moment: UpdateMoment, win: Pick<Window, 'addEventListener' | 'removeEventListener' | 'location'> = window): () => void {
  let armed = false;
  const onMove = (): void => {
    if (moment.hold()) return;
    win.removeEventListener('hashchange', onMove);
    // The hash already names the new screen: the reload opens it with the new code.
    void moment.settle().catch(() => undefined).then(() => win.location.reload());
  };
  return () => {
    if (armed) return;
    armed = true;
    win.addEventListener('hashchange', onMove);
  };
}
