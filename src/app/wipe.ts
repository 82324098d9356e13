import { runWipe } from '../core/vault/panic.ts';
import { leaveWithoutTrace } from '../platform/history-depth.ts';
import { APP_DATABASES } from '../platform/database-names.ts';

export const HARMLESS_PAGE = '/harmless.html';

async function deleteAllDatabases(): Promise<void> {
  const dbs = (await indexedDB.databases?.()) ?? [];
  const names = new Set([...dbs.map((d) => d.name).filter((n): n is string => !!n), ...APP_DATABASES]);
  await Promise.all(
    [...names].map(
      (name) =>
        new Promise<void>((resolve, reject) => {
          const req = indexedDB.deleteDatabase(name);
          req.onsuccess = () => resolve();
          req.onerror = () => reject(req.error);
          // Nothing else is open on this fresh page load; a blocked delete still completes once it is.
          req.onblocked = () => resolve();
        }),
    ),
  );
}

/**
 * The second half of a panic wipe, run on a fresh page load before anything opens a database (the
 * keys were destroyed before the reload). Every step runs even if one fails; then a harmless page.
 */
export async function finishWipe(): Promise<void> {
  sessionStorage.clear();
  localStorage.clear();
  const report = await runWipe({
    keys: () => undefined, // destroyed before the reload
    indexeddb: deleteAllDatabases,
    caches: async () => {
      for (const k of await caches.keys()) await caches.delete(k);
    },
    'service-worker': async () => {
      for (const r of (await navigator.serviceWorker?.getRegistrations()) ?? []) await r.unregister();
    },
    leave: () => leaveWithoutTrace(HARMLESS_PAGE),
  });
  if (report.failed.length) console.warn('wipe steps failed', report.failed);
}

/** Quick exit: leave for a harmless page without touching any data; Back does not return into the app. */
export function quickExit(): void {
  leaveWithoutTrace(HARMLESS_PAGE);
}
