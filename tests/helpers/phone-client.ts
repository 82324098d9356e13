import { Repo, type AutomergeUrl, type DocHandle } from '@automerge/automerge-repo';
import { WebSocketClientAdapter } from '@automerge/automerge-repo-network-websocket';
import { createIdentity, type Identity } from '../../src/core/crypto/keys.ts';
import { createProfile, memberEntry, newFeedDoc } from '../../src/core/model/community.ts';
import { readFeed } from '../../src/core/model/feed.ts';
import { createIntent, type IntentInput } from '../../src/core/model/intent.ts';
import type { CommunityDoc, FeedDoc, Intent } from '../../src/core/model/types.ts';
import { findEventually } from '../../src/platform/find-eventually.ts';

/**
 * A phone without a browser: the same automerge-repo sync and the same signed records as the PWA,
 * for relay and mesh tests that need many writes quickly. Browser behaviour is covered by e2e/.
 */
export class NodePhone {
  readonly repo: Repo;
  readonly me: Identity = createIdentity();
  private feed?: DocHandle<FeedDoc>;

  constructor(readonly relayUrl: string) {
    this.repo = new Repo({ network: [new WebSocketClientAdapter(relayUrl.replace(/^http/, 'ws') + '/sync')] });
  }

  async communityUrl(): Promise<AutomergeUrl> {
    const info = (await (await fetch(`${this.relayUrl}/api/info`)).json()) as { communities: Array<{ url: AutomergeUrl }> };
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

  /** Titles of every valid open intent this phone can currently see in the community. */
  async titles(communityUrl: AutomergeUrl): Promise<string[]> {
    const community = await findEventually<CommunityDoc>(this.repo, communityUrl);
    const out: string[] = [];
    for (const m of Object.values(community.doc().members ?? {})) {
      const doc = (await findEventually<FeedDoc>(this.repo, m.feedUrl as AutomergeUrl)).doc();
      if (doc.type === 'feed') out.push(...readFeed(doc).intents.map((i) => i.name));
    }
    return out.sort();
  }

  async close(): Promise<void> {
    await this.repo.flush();
    await this.repo.shutdown();
  }
}

export function offers(prefix: string, n: number): IntentInput[] {
  return Array.from({ length: n }, (_, i) => ({ kind: 'offer' as const, category: 'food', title: `${prefix} ${i + 1}`, description: 'carried by a bridge' }));
}
