import { asScalars } from './scalar-strings.ts';
import type { FeedDoc, SealedFeedRecord } from './types.ts';

/**
 * A sealed entry into a feed doc being changed, as every writer must put it: under its own id, its long
 * strings as Automerge scalars (scalar-strings.ts). One place, so no writer forgets the scalars.
 */
export function putSealed(d: Pick<FeedDoc, 'sealed'>, entry: SealedFeedRecord): void {
  d.sealed ??= {};
  d.sealed[entry.id] = asScalars(entry);
}
