import type { Page } from '@playwright/test';
import { WARMED_MARK } from '../../src/platform/automerge-warmup.ts';

/** How long the newcomer "answers the questions" at most, waiting for the phone's preparation. */
const PREPARED_WAIT_MS = 30_000;

/**
 * A person takes seconds over the first-run questions; the phone prepares the join meanwhile (keys,
 * repo code and wasm, Automerge warmed: client/join-preparation.ts). Benches tap Join when that is done,
 * as the person would, not before it could be. False when the mark never came within 30 s.
 */
export function untilJoinPrepared(page: Page): Promise<boolean> {
  return page.waitForFunction((mark) => performance.getEntriesByName(mark).length > 0, WARMED_MARK, { timeout: PREPARED_WAIT_MS }).then(
    () => true,
    () => false,
  );
}
