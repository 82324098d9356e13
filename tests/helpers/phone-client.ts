import { Repo, type AutomergeUrl, type DocHandle } from '@automerge/automerge-repo';
import { createIdentity, type Identity } from '../../src/core/crypto/keys.ts';
import { createProfile, memberEntry, newFeedDoc } from '../../src/core/model/community.ts';
import { readFeed } from '../../src/core/model/feed.ts';
import { createIntent, type IntentInput } from '../../src/core/model/intent.ts';
import type { CommunityDoc, FeedDoc, Intent } from '../../src/core/model/types.ts';
import { findEventually } from '../../src/platform/find-eventually.ts';
import { SessionWebSocketClientAdapter } from '../../src/platform/session-socket.ts';

export interface NodePhoneOptions {
  /** The community URL (the invite) the phone's sync sessions prove; default: the one /api/info shows. */
  community?: AutomergeUrl;
  identity?: Identity;
}

/**
 * A phone without a browser: the same automerge-repo sync, the same signed sync session and the same
 * signed records as the PWA, for relay and mesh tests that need many writes quickly. Browser behaviour
 * is covered by e2e/.
 */
export class NodePhone {
  readonly repo: Repo;
  readonly me: Identity;
  readonly network: SessionWebSocketClientAdapter;
  /** Community URLs this phone holds (its invites): its sync session proves them. */
  private readonly invites = new Set<AutomergeUrl>();
  private feed?: DocHandle<FeedDoc>;

  constructor(
    readonly relayUrl: string,
    opts: NodePhoneOptions = {},
  ) {
    this.me = opts.identity ?? createIdentity();
    if (opts.community) this.invites.add(opts.community);
    this.network = new SessionWebSocketClientAdapter(relayUrl.replace(/^http/, 'ws') + '/sync', 500, async () => {
      if (this.invites.size === 0) {
        const url = await this.communityUrl().catch(() => undefined);
        if (url) this.invites.add(url);
      }
      return { identity: this.me, communityUrls: [...this.invites] };
    });
    this.repo = new Repo({ network: [this.network] });
  }

  async communityUrl(): Promise<AutomergeUrl> {
    const info = (await (await fetch(`${this.relayUrl}/api/info`)).json()) as { communities: Array<{ url?: AutomergeUrl }> };
    const url = info.communities[0]?.url;
    if (!url) throw new Error('the relay does not show its community URL (invite-only and founded)');
    return url;
  }

  async join(name: string, communityUrl?: AutomergeUrl): Promise<DocHandle<CommunityDoc>> {
    const url = communityUrl ?? (await this.communityUrl());
    this.invites.add(url);
    const community = await this.repo.find<CommunityDoc>(url);
    this.feed = this.repo.create<FeedDoc>(newFeedDoc(this.me.agentId, community.doc().id));
    const now = Date.now();
    community.change((d) => {
      d.members[this.me.agentId] = memberEntry(createProfile(this.me, name, now), this.feed!.url, now);
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
