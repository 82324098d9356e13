import type { AutomergeUrl, DocHandle, Repo } from '@automerge/automerge-repo';
import type { Identity } from '../../src/core/crypto/keys.ts';
import type { IntentInput } from '../../src/core/model/intent.ts';
import type { CommunityView } from '../../src/core/model/read-community.ts';
import type { CommunityDoc, Intent } from '../../src/core/model/types.ts';
import { encodeInvite } from '../../src/core/protocol/invite.ts';
import type { PhoneClient } from '../../src/client/phone.ts';
import type { SessionWebSocketClientAdapter } from '../../src/platform/session-socket.ts';
import { nodeClientPhone, type NodeClientPhone } from './client-platform.ts';
import { relayCommunity, relayCommunityUrl } from './relay-community.ts';
import { waitFor } from './wait-for.ts';

/**
 * A phone without a browser for relay, adversary and mesh tests: the real client (src/client's
 * PhoneClient, on a Node platform: a real socket to the relay, Node's fetch, storage in memory), with
 * a few short names for what those tests do over and over. Joining, posting and vouching are the
 * client's own; reading is what the client has read. Tests that need to act below a phone (a raw
 * automerge-repo client) use SessionRepo (session-repo.ts) instead.
 */
export class NodePhone {
  private readonly node: NodeClientPhone;
  /** The founder key the relay named when this phone asked for the community (as an invite would carry it). */
  founder?: string;

  constructor(readonly relayUrl: string) {
    this.node = nodeClientPhone(relayUrl);
  }

  get client(): PhoneClient {
    return this.node.phone;
  }

  /** The community URL /api/info shows (only while nobody has joined an invite-only relay). */
  async communityUrl(): Promise<AutomergeUrl> {
    this.founder ??= (await relayCommunity(this.relayUrl)).founder;
    return relayCommunityUrl(this.relayUrl);
  }

  /**
   * The client's join with an invite to `communityUrl` (default: the one /api/info shows), naming
   * `invitedBy` as the inviter when given. The first find can report the community unavailable before
   * the socket is up: it tries a few times, as a person would tap again.
   */
  async join(name: string, communityUrl?: AutomergeUrl, opts: { invitedBy?: NodePhone; invite?: string } = {}): Promise<DocHandle<CommunityDoc>> {
    const url = communityUrl ?? (await this.communityUrl());
    // `invite`: the exact text an organiser's phone shows (a link with a secret), instead of one made here.
    const invite = opts.invite ?? encodeInvite({ url, name: '', inviter: opts.invitedBy?.me.agentId });
    await this.client.boot();
    for (let attempt = 1; ; attempt++) {
      try {
        await this.client.join(name, invite);
        break;
      } catch (err) {
        if (attempt >= 3 || !/communityUnavailable/.test(String(err))) throw err;
      }
    }
    return this.client.docs.community as unknown as DocHandle<CommunityDoc>;
  }

  /**
   * Posts each through the client (its checks and its trust gate). One signed change per post: the
   * client has no batch API.
   */
  async post(inputs: IntentInput[]): Promise<Intent[]> {
    const out: Intent[] = [];
    for (const input of inputs) out.push(await this.client.intents.post(input));
    return out;
  }

  /** The in-person vouch: reads the other phone's code and vouches; resolves once their phone lets them post offers. */
  async vouchFor(other: NodePhone, note = 'met in person'): Promise<void> {
    await this.client.trust.vouch(this.client.trust.readCode(other.client.trust.myCode()), 3, note);
    await waitFor(() => !!other.client.trust.gate('post-offer')?.allowed, `${other.me.agentId} may post after the vouch`);
  }

  get me(): Identity {
    const me = this.client.session.me;
    if (!me) throw new Error('this phone has not joined');
    return me;
  }

  /** The phone's own repo (to look at the raw docs it holds). */
  get repo(): Repo {
    const repo = this.node.repo();
    if (!repo) throw new Error('this phone has not started its repo (join first)');
    return repo;
  }

  get network(): SessionWebSocketClientAdapter {
    const network = this.node.network();
    if (!network) throw new Error('this phone has not started its repo (join first)');
    return network;
  }

  get feedUrl(): AutomergeUrl {
    const feed = this.client.docs.feed;
    if (!feed) throw new Error('this phone has not joined');
    return feed.url as AutomergeUrl;
  }

  /** Titles of every valid intent the phone has read from the members' feeds (open or closed, any audience). */
  titles(): string[] {
    return [...this.client.community.views.values()].flatMap((v) => v.intents.map((i) => i.name)).sort();
  }

  /** The community as the phone reads it: signed settings, stewards, members and what it refused. */
  community(): CommunityView {
    return this.client.community.view();
  }

  /**
   * Ids of the vouches that count (valid, unrevoked), once the phone follows every member's feed and has
   * computed trust. (Not feedsLoaded(): a hostile edit of a feed's owner field would keep that false.)
   */
  async vouchIds(): Promise<string[]> {
    const { community, trust } = this.client;
    const following = () => Object.keys(community.state.state.members).every((id) => community.feeds.has(id));
    await waitFor(() => following() && trust.state.state.trust !== null, 'every feed followed and trust computed');
    return trust.book.vouches.map((v) => v.id);
  }

  close(): Promise<void> {
    return this.node.close();
  }
}

export function offers(prefix: string, n: number): IntentInput[] {
  return Array.from({ length: n }, (_, i) => ({ kind: 'offer' as const, category: 'food', title: `${prefix} ${i + 1}`, description: 'carried by a bridge' }));
}
