import { APP_DATABASES } from './database-names.ts';

/**
 * Whether this browser holds none of the app's databases: a first visit, so the first-run questions can
 * be shown before the phone's own code has arrived (over a weak mesh link that code takes a second or
 * more). False whenever the browser cannot say, so a doubt only costs that wait.
 */
export async function firstVisit(): Promise<boolean> {
  try {
    const dbs = await indexedDB.databases();
    return !dbs.some((d) => (APP_DATABASES as readonly (string | undefined)[]).includes(d.name));
  } catch {
    return false;
  }
}
