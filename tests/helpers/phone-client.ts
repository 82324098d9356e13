import { Repo, type AutomergeUrl, type DocHandle } from '@automerge/automerge-repo';
import { WebSocketClientAdapter } from '@automerge/automerge-repo-network-websocket';
import { createIdentity, type Identity } from '../../src/core/crypto/keys.ts';
import { createProfile, memberEntry, newFeedDoc } from '../../src/core/model/community.ts';
import { readFeed } from '../../src/core/model/feed.ts';
import { createIntent, type IntentInput } from '../../src/core/model/intent.ts';
import type { CommunityDoc, FeedDoc, Intent } from '../../src/core/model/types.ts';
import { readCommunity, type CommunityView } from '../../src/core/model/read-community.ts';
import { COMMUNITY_MAPS, FEED_MAPS, restoreFeed } from '../../src/core/model/restore.ts';
import { SignedHistory } from '../../src/core/sync/signed-history.ts';
import { collectVouches } from '../../src/core/trust/vouch.ts';
import { findEventually } from '../../src/platform/find-eventually.ts';

/**
 * A phone without a browser: the same automerge-repo sync and the same signed records as the PWA,
 * for relay and mesh tests that need many writes quickly. Browser behaviour is covered by e2e/.
 */
export class NodePhone {
  readonly repo: Repo;
  readonly me: Identity = createIdentity();
  private feed?: DocHandle<FeedDoc>;
  private histories = new Map<string, SignedHistory>();
  /** The founder key the relay named when this phone joined (as an invite would carry it). */
  founder?: string;

  constructor(readonly relayUrl: string) {
    this.repo = new Repo({ network: [new WebSocketClientAdapter(relayUrl.replace(/^http/, 'ws') + '/sync')] });
  }

  async communityUrl(): Promise<AutomergeUrl> {
    const info = (await (await fetch(`${this.relayUrl}/api/info`)).json()) as { communities: Array<{ url: AutomergeUrl; founder?: string }> };
    this.founder ??= info.communities[0].founder;
    return info.communities[0].url;
  }

  async join(name: string, communityUrl?: AutomergeUrl): Promise<DocHandle<CommunityDoc>> {
    const community = await this.repo.find<CommunityDoc>(communityUrl ?? (await this.communityUrl()));
    this.feed = this.repo.create<FeedDoc>(newFeedDoc(this.me.agentId, community.doc().id));
    const now = Date.now();
    community.change((d) => {
      d.members[this.me.agentId] = memberEntry(this.me, createProfile(this.me, name, now), d.id, this.feed!.url, now);
    });
    return community;
  }

  post(inputs: IntentInput[]): Intent[] {
    const recs = inputs.map((i) => createIntent(this.me, i, Date.now()));
    this.feed!.change((d) => {
      for (const r of recs) d.intents[r.id] = r;
    });
    return recs;
  }

  private history(url: string, maps: readonly (readonly string[])[]): SignedHistory {
    let h = this.histories.get(url);
    if (!h) this.histories.set(url, (h = new SignedHistory(maps)));
    return h;
  }

  /** The community as the app reads it: only what founder, stewards and members signed. */
  async community(communityUrl: AutomergeUrl): Promise<CommunityView> {
    const doc = (await findEventually<CommunityDoc>(this.repo, communityUrl)).doc();
    const h = this.history(communityUrl, COMMUNITY_MAPS);
    h.update(doc);
    return readCommunity(doc, h, this.founder);
  }

  /** Each member's feed as the app reads it (signed by that member, nothing deleted without their signature). */
  async feeds(communityUrl: AutomergeUrl): Promise<FeedDoc[]> {
    const out: FeedDoc[] = [];
    for (const m of Object.values((await this.community(communityUrl)).members)) {
      const doc = (await findEventually<FeedDoc>(this.repo, m.feedUrl as AutomergeUrl)).doc();
      if (doc?.type !== 'feed') continue;
      const h = this.history(m.feedUrl, FEED_MAPS.map((k) => [k]));
      h.update(doc);
      out.push(restoreFeed(doc, h, m.author));
    }
    return out;
  }

  /** Titles of every valid open intent this phone can currently see in the community. */
  async titles(communityUrl: AutomergeUrl): Promise<string[]> {
    return (await this.feeds(communityUrl)).flatMap((f) => readFeed(f).intents.map((i) => i.name)).sort();
  }

  /** Ids of the vouches that count (valid, unrevoked) in the community. */
  async vouchIds(communityUrl: AutomergeUrl): Promise<string[]> {
    return collectVouches(await this.feeds(communityUrl), Date.now()).valid.map((v) => v.id);
  }

  /** Writes into my own feed (signed records only, e.g. vouches and revocations). */
  write(fn: (d: FeedDoc) => void): void {
    this.feed!.change(fn);
  }

  get feedUrl(): AutomergeUrl {
    return this.feed!.url;
  }

  async close(): Promise<void> {
    await this.repo.flush();
    await this.repo.shutdown();
  }
}

export function offers(prefix: string, n: number): IntentInput[] {
  return Array.from({ length: n }, (_, i) => ({ kind: 'offer' as const, category: 'food', title: `${prefix} ${i + 1}`, description: 'carried by a bridge' }));
}
