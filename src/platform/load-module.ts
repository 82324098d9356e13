import { UserError } from '../client/errors.ts';

/**
 * A part of the app's code fetched on demand, tried again when the fetch fails. On a mesh link a fetch can
 * fail for a moment (a reset connection, a hub busy restarting): without a second try the person saw
 * "TypeError: Failed to fetch dynamically imported module" at join and nothing more happened. Browsers
 * that follow whatwg/html#10327 (Chromium 156 does) fetch a failed module again on the next import();
 * one that kept the failure fails again, and the person is told in plain words to try again.
 */
export async function loadModule<T>(load: () => Promise<T>, waits: readonly number[] = [300, 1_000]): Promise<T> {
  for (const wait of waits) {
    try {
      return await load();
    } catch (err) {
      // Only a failed fetch is worth another try; an error thrown while the module runs is a bug to see.
      if (!(err instanceof TypeError)) throw err;
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }
  try {
    return await load();
  } catch (err) {
    if (err instanceof TypeError) throw new UserError('error.appPartMissing');
    throw err;
  }
}
