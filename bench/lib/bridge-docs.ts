/**
 * automerge-repo clients for the bridge benchmark: members writing on an island, a watcher that waits
 * until a relay serves given heads (and then yields the docs' saved bytes), and the baseline
 * (two Repos syncing the same docs over automerge-repo's own WebSocket adapters).
 */
import '@automerge/automerge';
import * as Automerge from '@automerge/automerge/slim';
import { Repo, parseAutomergeUrl, type AutomergeUrl, type DocHandle, type DocumentId } from '@automerge/automerge-repo';
import { WebSocketClientAdapter, WebSocketServerAdapter } from '@automerge/automerge-repo-network-websocket';
import { WebSocketServer } from 'ws';
import type { AddressInfo } from 'node:net';
import { createIdentity } from '../../src/core/crypto/keys.ts';
import { SessionWebSocketClientAdapter } from '../../src/platform/session-socket.ts';
import { untilPeer } from '../../tests/helpers/until-peer.ts';
import { createProfile, memberEntry, newFeedDoc } from '../../src/core/model/community.ts';
import type { CommunityDoc, FeedDoc } from '../../src/core/model/types.ts';
import { signedOffers } from './bridge-offers.ts';

/** Heads as one comparable string. */
export const headsOf = (doc: unknown): string => [...Automerge.getHeads(doc as Automerge.Doc<unknown>)].sort().join(',');

const docIdOf = (url: AutomergeUrl): DocumentId => parseAutomergeUrl(url).documentId;

/** A signed sync session (src/core/protocol/session-auth.ts) with a key of its own, holding the community's URL. */
function client(relayUrl: string, communityUrl: AutomergeUrl): { repo: Repo; network: SessionWebSocketClientAdapter } {
  const me = createIdentity();
  const network = new SessionWebSocketClientAdapter(relayUrl.replace(/^http/, 'ws') + '/sync', 500, () => ({ identity: me, communityUrls: [communityUrl] }));
  return { repo: new Repo({ network: [network] }), network };
}

export interface Written {
  communityUrl: AutomergeUrl;
  /** Community doc first, then one feed per member. */
  urls: AutomergeUrl[];
  heads: Map<AutomergeUrl, string>;
  close(): Promise<void>;
}

/**
 * New docs one sync session may bring before a community lists them (a newcomer's quota in
 * relay/sync-access.ts is 16): the members are written through one session per this many.
 */
const MEMBERS_PER_SESSION = 15;

/**
 * `members` members join the relay's community; each writes its offers in one change to its own feed,
 * or one change per offer (`changePerOffer`, as a person posting one at a time). Every session stays open
 * until `close()`, so nothing is dropped before the relay holds it.
 */
export async function writeMembers(relayUrl: string, communityUrl: AutomergeUrl, members: number, offersEach: number, changePerOffer = false): Promise<Written> {
  const repos: Repo[] = [];
  const communities: DocHandle<CommunityDoc>[] = [];
  const feeds: DocHandle<FeedDoc>[] = [];
  for (let m = 0; m < members; m++) {
    if (m % MEMBERS_PER_SESSION === 0) {
      const { repo, network } = client(relayUrl, communityUrl);
      await untilPeer(repo, network);
      repos.push(repo);
      communities.push(await repo.find<CommunityDoc>(communityUrl));
    }
    const community = communities.at(-1)!;
    const me = createIdentity();
    const now = Date.now();
    const offers = signedOffers(me, m, offersEach, now);
    const feed = repos.at(-1)!.create<FeedDoc>(newFeedDoc(me.agentId, community.doc().id));
    if (changePerOffer) for (const o of offers) feed.change((d) => void (d.intents[o.id] = o));
    else
      feed.change((d) => {
        for (const o of offers) d.intents[o.id] = o;
      });
    community.change((d) => {
      d.members[me.agentId] = memberEntry(me, createProfile(me, `Member ${m + 1}`, now), d.id, feed.url, now);
    });
    feeds.push(feed);
  }
  // The community doc as every session wrote it: the relay's copy holds all of their heads.
  const communityHeads = [...new Set(communities.flatMap((c) => headsOf(c.doc()).split(',')))].sort().join(',');
  return {
    communityUrl,
    urls: [communityUrl, ...feeds.map((f) => f.url)],
    heads: new Map([[communityUrl, communityHeads], ...feeds.map((f): [AutomergeUrl, string] => [f.url, headsOf(f.doc())])]),
    close: async () => void (await Promise.all(repos.map((r) => r.shutdown()))),
  };
}

/**
 * A phone-like client on a relay that keeps asking for the given docs until it holds exactly the
 * expected heads. A doc the relay does not have yet is asked for again on the next poll.
 */
export class HeadsWatcher {
  private readonly repo: Repo;
  private readonly handles = new Map<AutomergeUrl, DocHandle<unknown>>();
  private readonly pending = new Set<AutomergeUrl>();

  /**
   * `atLeast`: a doc matches once it holds the expected heads, whatever came after (a relay may write the
   * community doc itself, e.g. appointing its first steward, after the writer's heads were taken).
   */
  constructor(
    relayUrl: string,
    private readonly expected: Map<AutomergeUrl, string>,
    private readonly atLeast = false,
  ) {
    // The community doc comes first in every heads map (see Written.urls).
    this.repo = client(relayUrl, [...expected.keys()][0]).repo;
  }

  /** True once every doc is here with the expected heads. */
  async converged(): Promise<boolean> {
    const missing = [...this.expected.keys()].filter((u) => !this.handles.has(u) && !this.pending.has(u));
    // One find per missing doc; an unavailable handle turns ready when the relay later pushes the doc.
    for (const url of missing) {
      this.pending.add(url);
      void this.repo
        .find<unknown>(url, { allowableStates: ['ready', 'unavailable'] })
        .then((h) => this.handles.set(url, h))
        .catch(() => undefined)
        .finally(() => this.pending.delete(url));
    }
    for (const [url, want] of this.expected) {
      const h = this.handles.get(url);
      if (!h || !h.isReady() || !this.matches(h.doc(), want)) return false;
    }
    return true;
  }

  private matches(doc: unknown, want: string): boolean {
    if (!this.atLeast) return headsOf(doc) === want;
    return want === '' || Automerge.hasHeads(doc as Automerge.Doc<unknown>, want.split(','));
  }

  /** How many docs already match (progress for error messages). */
  matched(): number {
    return [...this.expected].filter(([u, want]) => {
      const h = this.handles.get(u);
      return h?.isReady() === true && this.matches(h.doc(), want);
    }).length;
  }

  /** The heads of every doc as this client holds it (call once converged: then they are the relay's). */
  heads(): Map<AutomergeUrl, string> {
    return new Map([...this.expected.keys()].map((u) => [u, headsOf(this.handles.get(u)!.doc())]));
  }

  /** Automerge.save of every doc as this client holds it (call once converged: then it is the relay's copy). */
  saved(): Map<AutomergeUrl, Uint8Array> {
    return new Map([...this.expected.keys()].map((u) => [u, Automerge.save(this.handles.get(u)!.doc() as Automerge.Doc<unknown>)]));
  }

  close(): Promise<void> {
    return this.repo.shutdown();
  }
}

/**
 * Baseline: repo 1 holds the saved docs (same doc ids); time from repo 2 connecting until it has
 * found every doc with repo 1's heads, over automerge-repo-network-websocket on 127.0.0.1.
 */
export async function repoSyncBaseline(saved: Map<AutomergeUrl, Uint8Array>, timeoutMs: number): Promise<{ ms: number; converged: boolean; findRetries: number }> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
  const port = (wss.address() as AddressInfo).port;
  // ws's own types and the adapter's (isomorphic-ws) differ only nominally
  const repo1 = new Repo({ network: [new WebSocketServerAdapter(wss as unknown as ConstructorParameters<typeof WebSocketServerAdapter>[0])] });
  const want = new Map<AutomergeUrl, string>();
  for (const [url, bytes] of saved) want.set(url, headsOf(repo1.import<unknown>(bytes, { docId: docIdOf(url) }).doc()));
  const start = performance.now();
  const peer1 = new Promise((resolve) => repo1.networkSubsystem.once('peer', resolve));
  const repo2 = new Repo({ network: [new WebSocketClientAdapter(`ws://127.0.0.1:${port}`)] });
  let converged = false;
  let ms = 0;
  let findRetries = 0;
  // On a loaded machine automerge-repo now and then reports a doc repo 1 holds as unavailable; asking
  // again (counted in findRetries, and the time it takes counted in ms) keeps the run from dying.
  const find = async (u: AutomergeUrl): Promise<DocHandle<unknown>> => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await repo2.find<unknown>(u);
      } catch (err) {
        if (attempt >= 5) throw err;
        findRetries++;
      }
    }
  };
  try {
    // find() before both sides finished the peer handshake reports docs unavailable
    await Promise.all([peer1, new Promise((resolve) => repo2.networkSubsystem.once('peer', resolve))]);
    const handles = await Promise.all([...want.keys()].map(find));
    converged = await allHeads(handles, want, start + timeoutMs);
    ms = performance.now() - start;
  } finally {
    await repo2.shutdown();
    await repo1.shutdown();
    await new Promise<void>((resolve) => wss.close(() => resolve()));
  }
  return { ms, converged, findRetries };
}

/** Waits (bounded) until every handle shows the wanted heads; ready can come before the last change. */
async function allHeads(handles: DocHandle<unknown>[], want: Map<AutomergeUrl, string>, deadline: number): Promise<boolean> {
  for (;;) {
    if (handles.every((h) => headsOf(h.doc()) === want.get(h.url))) return true;
    if (performance.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
