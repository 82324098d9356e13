import type { DocHandle } from '@automerge/automerge-repo';
import {
  answerQuery,
  DiscoveryError,
  encodeJson,
  MEMBER_QUERY_LIMIT,
  parseAnswer,
  parseQuery,
  PublicIndex,
  publicRecords,
  RateLimiter,
  RELAY_QUERY_LIMIT,
  type DiscoveryAnswer,
  type DiscoveryQuery,
  type IslandAnswer,
} from '../src/core/discovery/index.ts';
import type { Bundle } from '../src/core/dtn/index.ts';
import type { CommunityView } from '../src/core/model/read-community.ts';
import type { FeedDoc } from '../src/core/model/types.ts';
import { docId, type Communities } from './communities.ts';
import { DISCOVERY_QUERY_ENDPOINT, discoveryAnswerEndpoint, isDiscoveryQuery } from '../src/core/protocol/endpoints.ts';
import { PAYLOAD_PRIORITY } from '../src/core/protocol/priority.ts';
import type { DtnNode } from './dtn/node.ts';
import type { FeedViews } from './feed-views.ts';
import type { Logger } from './log.ts';
import type { RelayRepo } from './repo.ts';
import { WhenQuiet } from './quiet.ts';
import { memberCheck } from './library-members.ts';
import { Refusal } from './refusal.ts';

/** Shares of RELAY_QUERY_LIMIT (burst 20, one per 3 s): members 15 and one per 4 s, others 5 and one per 12 s. */
const ISLAND_SHARE = { members: { burst: 15, everyMs: 4000 }, others: { burst: 5, everyMs: 12_000 } } as const;
/** Islands whose answers one query keeps; more are dropped (a flood of fake islands stays bounded). */
const MAX_ANSWERS_PER_QUERY = 32;
/** Queries this relay keeps answers for at once, and query ids it remembers having answered. */
const MAX_ASKED = 1000;
const MAX_SEEN = 10_000;
/** Answers stay readable this long after their query expired, so a phone that was away sees them. */
const KEEP_AFTER_EXPIRY_MS = 10 * 60_000;
/** The index catches up once changes pause this long, and is never staler than MAX_STALE_MS (a query refreshes it anyway). */
const QUIET_MS = 1_000;
const MAX_STALE_MS = 30_000;
/** Longest the background re-index holds the event loop at a time. */
const SLICE_MS = 20;

export class DiscoveryRefusal extends Refusal {}

interface Asked {
  query: DiscoveryQuery;
  answers: Map<string, { answer: DiscoveryAnswer; received: number }>;
}

/**
 * Search across islands. A phone's query is answered at once from this island's public index and sent
 * as a short-lived bundle to `dtn://discovery/~query`; every relay that receives it answers from its own
 * index with a bundle addressed to the asking relay (`<origin>discovery`), which keeps the answers for
 * the phone, labelled with the island and their age. Only public, current intents are ever indexed.
 */
export class RelayDiscovery {
  readonly index = new PublicIndex();
  private readonly feedKeys = new Map<string, string[]>();
  private readonly heads = new Map<string, string>();
  private readonly asked = new Map<string, Asked>();
  private readonly waiting = new Set<string>();
  /** Re-indexing waits for a pause in changes (a bridge's burst costs one pass, after the burst). */
  private readonly later = new WhenQuiet(() => this.refreshInSlices(), QUIET_MS, MAX_STALE_MS);
  private slicing = false;
  private sliceAgain = false;
  private sweeper?: NodeJS.Timeout;
  private closed = false;
  private readonly seen = new Map<string, number>();
  private readonly members = new RateLimiter(MEMBER_QUERY_LIMIT);
  private readonly relays = new RateLimiter(RELAY_QUERY_LIMIT);
  /**
   * What this island may send out (other relays take RELAY_QUERY_LIMIT from it) split in two: keys
   * cost nothing to make, so searches by non-members (unsigned, or by keys no community here lists)
   * share a quarter of it and can never use up what members' searches need.
   */
  private readonly islandForMembers = new RateLimiter(ISLAND_SHARE.members);
  private readonly islandForOthers = new RateLimiter(ISLAND_SHARE.others);
  private readonly isMember: (agentId: string) => boolean;
  private readonly counts = { asked: 0, answered: 0, refused: 0, answersIn: 0 };
  readonly islandName: string;

  constructor(
    private readonly node: DtnNode,
    private readonly rr: RelayRepo,
    private readonly communities: Communities,
    private readonly log: Logger,
    private readonly feeds: FeedViews,
  ) {
    this.isMember = memberCheck(rr, communities);
    this.islandName = node.nodeId.replace(/^dtn:\/\//, '').replace(/\/$/, '');
  }

  start(): void {
    // Keep the index current as feeds change (phones, bridges), a burst of changes costing one pass.
    // A feed may change before the relay follows it, or arrive after: followed feeds count too, and
    // a slow periodic pass catches whatever slipped between (a pass over unchanged heads is cheap).
    const soon = () => this.soon();
    this.rr.onChange(soon);
    this.rr.onPhoneMessage(soon);
    this.communities.on('doc', soon);
    this.sweeper = setInterval(soon, 30_000);
    this.sweeper.unref();
    this.refreshInSlices();
    this.node.on('deliver', (b) => {
      try {
        this.onBundle(b);
      } catch (err) {
        this.log.warn({ err: String(err) }, 'discovery: bundle not handled');
      }
    });
  }

  /** Stops the background re-indexing: its timers, and a pass in slices at its next slice. */
  close(): void {
    this.closed = true;
    clearInterval(this.sweeper);
    this.later.stop();
  }

  private soon(): void {
    this.later.poke();
  }

  private handle<T>(id: string): DocHandle<T> | undefined {
    const h = this.rr.repo.handles[id as never] as DocHandle<T> | undefined;
    return h?.isReady() ? h : undefined;
  }

  /** A feed still loading or syncing is indexed as soon as it is ready. */
  private whenReady(id: string): void {
    const raw = this.rr.repo.handles[id as never] as DocHandle<unknown> | undefined;
    if (!raw || this.waiting.has(id)) return;
    this.waiting.add(id);
    raw.whenReady().then(
      () => {
        this.waiting.delete(id);
        this.soon();
      },
      () => this.waiting.delete(id),
    );
  }

  /** Re-reads every replicated feed whose heads moved since it was last indexed (a query needs it now). */
  refresh(now = Date.now()): void {
    const communities = this.communityViews();
    for (const id of this.communities.replicatedDocIds()) this.refreshFeed(id, communities, now);
  }

  /**
   * The same in the background, a slice of feeds per turn of the event loop: a first reading of 10,000
   * signed offers takes seconds, and phones and TCPCL keepalives must not wait for it.
   */
  private refreshInSlices(): void {
    if (this.slicing) return void (this.sliceAgain = true);
    this.slicing = true;
    const ids = [...this.communities.replicatedDocIds()];
    const communities = this.communityViews();
    const step = (i: number): void => {
      if (this.closed) return void (this.slicing = false);
      const until = performance.now() + SLICE_MS;
      while (i < ids.length && performance.now() < until) this.refreshFeed(ids[i++], communities, Date.now());
      if (i < ids.length) return void setImmediate(() => step(i));
      this.slicing = false;
      if (this.sliceAgain) {
        this.sliceAgain = false;
        this.refreshInSlices();
      }
    };
    step(0);
  }

  /** What each served community signed (settings, members), by its own id: the names answers carry. */
  private communityViews(): Map<string, CommunityView> {
    const byCommunity = new Map<string, CommunityView>();
    for (const c of this.communities.served) {
      const view = this.communities.view(c.url);
      if (view?.id) byCommunity.set(view.id, view);
    }
    return byCommunity;
  }

  private refreshFeed(id: string, communities: Map<string, CommunityView>, now: number): void {
    const h = this.handle<FeedDoc>(id);
    if (!h) return this.whenReady(id);
    const heads = h.heads().join(',');
    if (this.heads.get(id) === heads) return;
    this.heads.set(id, heads);
    const view = this.feeds.read(h);
    if (!view) return;
    const doc = h.doc()!;
    for (const k of this.feedKeys.get(id) ?? []) this.index.remove(k);
    const records = publicRecords(view.intents, communities.get(doc.community), now);
    for (const r of records) this.index.put(r);
    this.feedKeys.set(id, records.map((r) => r.key));
  }

  private sweep(now: number): void {
    for (const [id, a] of this.asked) if (a.query.expires + KEEP_AFTER_EXPIRY_MS < now) this.asked.delete(id);
    for (const [id, exp] of this.seen) if (exp < now) this.seen.delete(id);
  }

  /** A phone asks. `who` is the member's agent id when the query is signed, else its address. */
  async ask(body: Uint8Array, who: string, now = Date.now()): Promise<{ id: string; expires: number }> {
    let q: DiscoveryQuery;
    try {
      q = parseQuery(body, now);
    } catch (err) {
      this.counts.refused++;
      if (err instanceof DiscoveryError) throw new DiscoveryRefusal(err.code === 'bad-signature' ? 401 : 400, err.code, err.message);
      throw err;
    }
    if (q.origin !== this.node.nodeId) throw new DiscoveryRefusal(400, 'wrong-origin', `query origin must be this relay (${this.node.nodeId})`);
    if (this.asked.has(q.id)) return { id: q.id, expires: q.expires };
    this.sweep(now);
    if (!this.members.take(q.author ?? `addr:${who}`, now)) throw new DiscoveryRefusal(429, 'rate-limited', 'too many searches: wait a little');
    const member = q.author !== undefined && this.isMember(q.author);
    const island = member ? this.islandForMembers : this.islandForOthers;
    if (!island.take(this.node.nodeId, now) || this.asked.size >= MAX_ASKED) {
      throw new DiscoveryRefusal(429, 'rate-limited', member ? 'this island is searching too much: wait a little' : 'too many searches from people who are not members here: wait a little');
    }
    const asked: Asked = { query: q, answers: new Map() };
    this.asked.set(q.id, asked);
    this.seen.set(q.id, q.expires);
    this.refresh(now);
    const own = answerQuery(this.index, q, { id: this.node.nodeId, name: this.islandName }, now);
    if (own) asked.answers.set(own.island, { answer: own, received: now });
    await this.node.originate({ destination: DISCOVERY_QUERY_ENDPOINT, payload: body, priority: PAYLOAD_PRIORITY.discovery, audience: 'public', lifetimeMs: q.expires - now });
    this.counts.asked++;
    return { id: q.id, expires: q.expires };
  }

  /** What has come back for a query this relay sent, newest answer first. */
  answers(id: string, now = Date.now()): { query: DiscoveryQuery; answers: IslandAnswer[] } | undefined {
    const a = this.asked.get(id);
    if (!a) return undefined;
    const answers = [...a.answers.values()]
      .map(({ answer, received }) => ({ island: answer.island, islandName: answer.islandName, local: answer.island === this.node.nodeId, created: answer.created, received, age: Math.max(0, now - answer.created), results: answer.results }))
      .sort((x, y) => y.created - x.created);
    return { query: a.query, answers };
  }

  private onBundle(b: Bundle): void {
    if (this.closed) return;
    const dest = b.primary.destination;
    if (isDiscoveryQuery(dest)) void this.onQuery(b.payload.data);
    else if (dest === discoveryAnswerEndpoint(this.node.nodeId)) this.onAnswer(b.payload.data);
  }

  private async onQuery(payload: Uint8Array, now = Date.now()): Promise<void> {
    let q: DiscoveryQuery;
    try {
      q = parseQuery(payload, now);
    } catch (err) {
      this.counts.refused++;
      return void this.log.warn({ err: String(err) }, 'discovery: malformed query dropped');
    }
    if (q.origin === this.node.nodeId || this.seen.has(q.id)) return;
    this.sweep(now);
    if (this.seen.size >= MAX_SEEN || !this.relays.take(q.origin, now)) {
      this.counts.refused++;
      return void this.log.info({ origin: q.origin }, 'discovery: query over the per-relay rate limit dropped');
    }
    this.seen.set(q.id, q.expires);
    this.refresh(now);
    const answer = answerQuery(this.index, q, { id: this.node.nodeId, name: this.islandName }, now);
    if (!answer) return;
    await this.node.originate({ destination: discoveryAnswerEndpoint(q.origin), payload: encodeJson(answer), priority: PAYLOAD_PRIORITY.discovery, audience: 'public', lifetimeMs: Math.max(1000, q.expires - now) });
    this.counts.answered++;
  }

  private onAnswer(payload: Uint8Array, now = Date.now()): void {
    let answer: DiscoveryAnswer;
    try {
      answer = parseAnswer(payload);
    } catch (err) {
      this.counts.refused++;
      return void this.log.warn({ err: String(err) }, 'discovery: malformed answer dropped');
    }
    const a = this.asked.get(answer.query);
    if (!a || answer.island === this.node.nodeId || a.query.expires <= now) return;
    if (!a.answers.has(answer.island) && a.answers.size >= MAX_ANSWERS_PER_QUERY) return;
    a.answers.set(answer.island, { answer, received: now });
    this.counts.answersIn++;
  }

  status() {
    return { indexed: this.index.size, open: this.asked.size, ...this.counts };
  }
}
