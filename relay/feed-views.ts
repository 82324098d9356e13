import type { DocHandle } from '@automerge/automerge-repo';
import { readFeed, type FeedView } from '../src/core/model/feed.ts';
import type { FeedDoc } from '../src/core/model/types.ts';

/**
 * What each member feed proves, read once per set of heads and shared by everything on the relay that
 * reads feeds (discovery's index, island agents): re-reading 10,000 signed records for each of them on
 * every change kept a relay busy for minutes.
 */
export class FeedViews {
  private readonly views = new Map<string, { heads: string; view: FeedView }>();

  /** The view of a ready feed handle, or undefined when it is not a feed. */
  read(handle: DocHandle<FeedDoc>): FeedView | undefined {
    const heads = handle.heads().join(',');
    const cached = this.views.get(handle.documentId);
    if (cached?.heads === heads) return cached.view;
    const doc = handle.doc();
    if (doc?.type !== 'feed') return undefined;
    const view = readFeed(doc);
    this.views.set(handle.documentId, { heads, view });
    return view;
  }
}
