/**
 * Injected before any page script runs. Records, in ms since navigation start (performance.now()):
 * - idbOpen: when the app first opens its local index (its JS has been fetched, parsed and run);
 * - dom: when the first intent card is inserted into the document;
 * - frame: the start of the next animation frame, i.e. the frame that paints that card.
 * Kept as plain-JS text: a TS function would be transpiled by tsx with helpers (e.g. __name)
 * that do not exist in the page once Playwright serialises it.
 */
export interface FirstRenderMarks {
  idbOpen?: number;
  dom?: number;
  frame?: number;
  cards?: number;
}

export const FIRST_RENDER_PROBE = `(() => {
  const marks = {};
  window.__firstRender = marks;
  const open = IDBFactory.prototype.open;
  IDBFactory.prototype.open = function (name, version) {
    if (marks.idbOpen === undefined && name === 'solarpunk-local') marks.idbOpen = performance.now();
    return version === undefined ? open.call(this, name) : open.call(this, name, version);
  };
  new MutationObserver((_, obs) => {
    if (!document.querySelector('[data-testid="intent-card"]')) return;
    obs.disconnect();
    marks.dom = performance.now();
    requestAnimationFrame(() => {
      marks.frame = performance.now();
      marks.cards = document.querySelectorAll('[data-testid="intent-card"]').length;
    });
  }).observe(document, { childList: true, subtree: true });
})();`;
