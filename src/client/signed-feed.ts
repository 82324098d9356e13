import { currentRecordsHold, restoreFeed } from '../core/model/restore.ts';
import type { FeedDoc } from '../core/model/types.ts';
import type { SignedHistory } from '../core/sync/signed-history.ts';
import type { IntakeSink } from './feed-intake.ts';
import type { SignaturePrimer } from './signature-primer.ts';

/**
 * A member's feed as they signed it, every signature checked in batches first (`primer`). A first read
 * takes the records as they are for their history when nothing in the feed was ever overwritten or
 * deleted (SignedHistory.adopt: replaying each change cost 4 s of a 10,000-post join); if one of them
 * then fails its owner's signature, the whole history is read after all. The member's signed entry
 * names this feed: its records count if the member signed them, deleted or not.
 */
export async function readSignedFeed(owner: string, raw: FeedDoc, history: SignedHistory, primer: SignaturePrimer, sink: Omit<IntakeSink, 'check'>): Promise<FeedDoc> {
  const adopted = history.adopt(raw);
  if (!adopted) history.update(raw);
  await primer.feed(owner, raw, history, sink);
  if (adopted && !currentRecordsHold(raw, owner)) {
    history.reset();
    history.update(raw);
    await primer.feed(owner, raw, history, { ...sink, firstScreen: async () => undefined });
  }
  return restoreFeed(raw, history, owner);
}
