import type { PhoneClient } from '../client/phone.ts';
import { loadModule } from '../platform/load-module.ts';

let loaded: PhoneClient | undefined;

/**
 * The phone client (database, sync, crypto: most of the app's code), for the shell and the screens that
 * may be on screen before it has arrived (the first-run questions, the PIN). main.ts starts its fetch; an
 * import here after that is the module cache.
 */
export function phoneClient(): Promise<PhoneClient> {
  return loadModule(() => import('./client.ts')).then((m) => (loaded = m.phone));
}

/** The phone client if it has arrived, for code that must not wait (a screen being taken down). */
export function phoneClientIfLoaded(): PhoneClient | undefined {
  return loaded;
}
