import { readFeed } from '../core/model/feed.ts';
import type { FeedDoc, Intent } from '../core/model/types.ts';
import { FEED_PREVIEW_MAX_BYTES, FEED_PREVIEW_POSTS, feedPreviewPath, type FeedPreview } from '../core/protocol/routes.ts';
import type { RelayHttp } from './ports.ts';
import { readCapped } from './capped-read.ts';
import { documentIdOf } from '../core/protocol/automerge-url.ts';
import { intentRow, type IntentTable } from './local-store.ts';

type Rec = Record<string, unknown>;
const isRec = (v: unknown): v is Rec => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The body, or undefined past `limit` bytes (a hub that streams without end is cut off, not read whole). */
async function cappedText(res: Response, limit: number): Promise<string | undefined> {
  if (Number(res.headers.get('content-length') ?? 0) > limit) return undefined;
  const reader = res.body?.getReader();
  const bytes = reader ? await readCapped(reader, limit) : undefined;
  return bytes && new TextDecoder().decode(bytes);
}

/**
 * A first screenful of a member's feed whose doc is still on its way (a newcomer joining a community
 * with history): the relay's newest public posts of it (relay/feed-preview-service.ts), each read as
 * the feed reader reads a feed — signed by `owner`, filed under its id, well formed. A hub can leave
 * posts out or send older versions; it cannot make one up. Nothing at all when the hub has no preview,
 * is out of reach or answers anything else.
 *
 * `prime`: checks the signatures in one batch first (WebCrypto), so the reader's checks hit the cache.
 */
export async function fetchFeedPreview(relay: RelayHttp, documentId: string, owner: string, prime: (records: unknown[]) => Promise<void>): Promise<Intent[]> {
  const res = await relay.fetch(relay.base + feedPreviewPath(documentId), { cache: 'no-store' }).catch(() => undefined);
  if (!res?.ok) return [];
  const text = await cappedText(res, FEED_PREVIEW_MAX_BYTES).catch(() => undefined);
  let body: Partial<FeedPreview> | undefined;
  try {
    body = text === undefined ? undefined : (JSON.parse(text) as Partial<FeedPreview>);
  } catch {
    return [];
  }
  if (!isRec(body) || body.feed !== documentId || !Array.isArray(body.intents)) return [];
  const records = body.intents.slice(0, FEED_PREVIEW_POSTS).filter((r): r is Rec => isRec(r) && r.author === owner && typeof r.id === 'string');
  await prime(records);
  const intents = Object.fromEntries(records.map((r) => [r.id as string, r]));
  const view = readFeed({ type: 'feed', owner, intents } as unknown as FeedDoc);
  return view.intents.filter((i) => i.audience === 'public');
}

/** Previews in flight at once: a newcomer to a community of 500 members must not ask its hub 500 times at once. */
export const PREVIEWS_AT_ONCE = 4;

/** Runs tasks at most `width` at a time, in the order they came. */
export class PreviewLanes {
  private busy = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly width = PREVIEWS_AT_ONCE) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.busy >= this.width) await new Promise<void>((go) => this.waiting.push(go));
    this.busy++;
    try {
      return await task();
    } finally {
      this.busy--;
      this.waiting.shift()?.();
    }
  }
}

/** What listing previews needs: the hub, the index, a batch signature check, and who to tell. */
export interface PreviewHost {
  relay: RelayHttp;
  index: IntentTable;
  prime: (records: unknown[]) => Promise<void>;
  listed: () => Promise<void>;
}

/**
 * A newcomer's first screenful of each member's feed while the feed itself is still arriving (10,000
 * posts take about ten seconds of Automerge): the hub's newest public posts, each checked, listed until
 * the feed is read. Only for an author with nothing listed yet (a restart lists from its index), one
 * request per author at a time, a few authors at once.
 */
export class FeedPreviews {
  /** Authors whose preview may still be listed: asked for, and their feed not read yet. */
  private readonly wanted = new Set<string>();
  private readonly lanes = new PreviewLanes();

  constructor(private readonly host: PreviewHost) {}

  async preview(agentId: string, url: string): Promise<void> {
    if (this.wanted.has(agentId)) return; // asked for already (the join asks before the feed is followed)
    this.wanted.add(agentId);
    const listed = await this.host.index.byAuthor(agentId).catch(() => []);
    // A feed read while this one waited for a lane needs no preview any more.
    const ask = () => (this.wanted.has(agentId) ? fetchFeedPreview(this.host.relay, documentIdOf(url), agentId, this.host.prime) : Promise.resolve([]));
    const intents = listed.length > 0 ? [] : await this.lanes.run(ask);
    if (!this.wanted.delete(agentId) || intents.length === 0) return;
    await this.host.index.putRows(intents.map((i) => intentRow(i)));
    await this.host.listed();
  }

  /** The author's feed is read from here on: a preview still on its way must not list over it. */
  superseded(agentId: string): void {
    this.wanted.delete(agentId);
  }
}
