import type { PageControl } from '../client/ports.ts';
import { DOCS_DB_NAME } from './database-names.ts';

/** The sessionStorage mark main.ts reads on load: a panic wipe must finish before anything opens a database. */
export const WIPE_MARK = 'spm-wipe';

/** The page as the phone client controls it: reloads, the wipe's second half, the docs database. */
export const browserPage: PageControl = {
  reload: () => location.reload(),
  reloadIntoWipe: () => {
    sessionStorage.setItem(WIPE_MARK, '1');
    location.reload();
  },
  deleteDocs: () =>
    new Promise<void>((resolve) => {
      const req = indexedDB.deleteDatabase(DOCS_DB_NAME);
      req.onsuccess = req.onerror = req.onblocked = () => resolve();
    }),
  afterPaint: () => new Promise((r) => requestAnimationFrame(() => setTimeout(r))),
};
