import { afterEach } from 'vitest';

export type Cleanup = () => Promise<void> | void;

/**
 * The undo steps a test registers as it opens listeners, sessions, processes and directories, run
 * after it whether it passed or not, last opened first closed. Call at the top level of a test file
 * and push onto the list it returns.
 */
export function cleanupAfterEach(): Cleanup[] {
  const cleanups: Cleanup[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });
  return cleanups;
}
