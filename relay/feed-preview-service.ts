import type { DocHandle, DocumentId } from '@automerge/automerge-repo';
import type { FeedView } from '../src/core/model/feed.ts';
import { byNewest } from '../src/core/model/query.ts';
import type { FeedDoc, Intent } from '../src/core/model/types.ts';
import { FEED_PREVIEW_POSTS, type FeedPreview } from '../src/core/protocol/routes.ts';
import type { FeedViews } from './feed-views.ts';
import { sendJson } from './http-util.ts';
import { Refusal } from './refusal.ts';
import type { ReplicaService } from './replica-service.ts';
import type { Exchange, RelayService } from './service.ts';

/**
 * GET /api/feeds/<doc id> → FeedPreview: the newest public, open posts of a member feed this relay
 * follows, so a newcomer sees a first screenful in a second while the feed's whole doc (10,000 posts:
 * about ten seconds of Automerge on a phone) is still arriving. Public posts only — what anyone on the
 * island may read — as their authors signed them; the phone checks every one.
 */
export class FeedPreviewService implements RelayService {
  readonly name = 'feed-preview';
  /** The newest posts of each feed view (a view is read once per set of heads: FeedViews). */
  private readonly newest = new WeakMap<FeedView, Intent[]>();

  constructor(
    private readonly replica: ReplicaService,
    private readonly feeds: FeedViews,
  ) {}

  async start(): Promise<void> {}

  async close(): Promise<void> {}

  private readonly preview = ({ res, tail }: Exchange): void => {
    // Only a doc of a community served here that is already in memory: an unknown id costs a lookup,
    // never a read from storage.
    if (!this.replica.communities.communityOfDoc(tail)) throw new Refusal(404, 'unknown-feed', 'no such feed here');
    const handle = this.replica.rr.repo.handles[tail as DocumentId] as DocHandle<FeedDoc> | undefined;
    const view = handle?.isReady() ? this.feeds.read(handle) : undefined;
    if (!view) throw new Refusal(404, 'feed-not-here', 'that feed is not here yet');
    let intents = this.newest.get(view);
    if (!intents) {
      intents = view.intents.filter((i) => i.audience === 'public' && i.status === 'open').sort(byNewest).slice(0, FEED_PREVIEW_POSTS);
      this.newest.set(view, intents);
    }
    res.setHeader('cache-control', 'no-store');
    sendJson(res, 200, { feed: tail, intents } satisfies FeedPreview);
  };

  readonly routes = { feeds: { under: { GET: this.preview, HEAD: this.preview } } };
}
