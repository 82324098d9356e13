import {
  CarryCodecError,
  decodeHandIn,
  decodeTakeRequest,
  MAX_CARRY_BATCH_BYTES,
  MAX_CARRY_BUNDLES,
  type CarryHandInAnswer,
  type CarryTakeAnswer,
} from '../src/core/protocol/carry.ts';
import type { RequestTarget } from '../src/core/protocol/auth.ts';
import type { DtnNode, HandInOutcome } from './dtn/node.ts';
import type { Logger } from './log.ts';
import { Refusal } from './refusal.ts';
import type { RequestVerifier } from './request-auth.ts';
import { StoreError } from './dtn/store/index.ts';
import { TokenBuckets } from './token-buckets.ts';
import { CarriedBytes } from './carried-bytes.ts';

/**
 * What one member's phone may move through this relay. Requests are few (a phone exchanges when it
 * arrives and now and then while it stays), bytes are bounded so one phone cannot fill the store with
 * carried bundles nor keep the disk busy reading bundles out.
 */
export const CARRY_QUOTA = {
  /** Signed carry requests (take and hand-in together). */
  requests: { burst: 30, perSecond: 0.5 },
  /** Bytes handed in. */
  handInBytes: { burst: 64 * 1024 * 1024, perSecond: 256 * 1024 },
  /** Bytes taken out. */
  takeBytes: { burst: 256 * 1024 * 1024, perSecond: 1024 * 1024 },
} as const;

/** What the relay keeps of one member's hand-ins by default: a sixteenth of its bundle store (128 MiB of 2 GiB). */
export const carryMemberBytesDefault = (storeBudget: number): number => Math.floor(storeBudget / 16);

/** The refusal of a bundle over its member's cap: `not-kept`, so the phone keeps it for another relay. */
export const MEMBER_CAP_REFUSAL = 'not-kept: member-cap';

/** A carry request refused on purpose: answered `{error, code}` with its status. */
export class CarryError extends Refusal {}

/**
 * Phones as carriers (src/core/protocol/carry.ts). "Take" lists what this relay would forward to other
 * islands (every bundle but `local`-audience ones), in send order — priority first, then oldest —
 * within the bytes the phone has room for, leaving out what it holds. "Hand in" puts each bundle
 * through DtnNode.handIn, the very path a TCPCL neighbour's bundles take. Only members of a community
 * served here may do either, with signed requests (a nonce is good once) and per-member quotas.
 */
export class RelayCarry {
  private readonly requests = new TokenBuckets(CARRY_QUOTA.requests);
  private readonly handInBytes = new TokenBuckets(CARRY_QUOTA.handInBytes);
  private readonly takeBytes = new TokenBuckets(CARRY_QUOTA.takeBytes);
  /** Totals since start, for /api/status. */
  readonly counts = { taken: 0, handedIn: 0, refused: 0, overMemberCap: 0 };
  private readonly carried: CarriedBytes;

  constructor(
    private readonly node: DtnNode,
    private readonly verifier: RequestVerifier,
    private readonly isMember: (key: string) => boolean,
    private readonly log: Logger,
    /** Most bytes kept from one member's hand-ins (--carry-member-bytes). */
    memberCapBytes: number,
    /** What was kept, as saved before a restart (relay/carry-service.ts). */
    saved?: unknown,
    /** Called when a hand-in was kept, so what is kept can be saved. */
    private readonly kept: () => void = () => undefined,
  ) {
    this.carried = new CarriedBytes(memberCapBytes, (id) => node.store.has(id));
    const restored = this.carried.restore(saved);
    if (restored) log.info({ entries: restored, members: this.carried.members() }, 'carried hand-ins kept before the restart are counted against their members');
  }

  /** What is kept per member, to save. */
  snapshot() {
    return this.carried.snapshot();
  }

  /** For /api/status: the cap, and how many members have hand-ins kept. */
  status() {
    return { ...this.counts, memberCapBytes: this.carried.capBytes, membersKept: this.carried.members() };
  }

  /** The member a request comes from; refuses anyone else, and any member over their request quota. */
  private member(auth: string | undefined, target: RequestTarget, now: number): string {
    const v = this.verifier.verify(auth, target, now);
    if (!v.ok) throw new CarryError(401, 'unauthorized', v.reason);
    if (!this.isMember(v.agent)) throw new CarryError(403, 'not-member', 'only members of a community served here carry bundles');
    if (!this.requests.take(v.agent, 1, now)) throw new CarryError(429, 'too-many-requests', 'too many carry requests from this member; try again shortly');
    return v.agent;
  }

  async take(body: Uint8Array, auth: string | undefined, target: RequestTarget, now = Date.now()): Promise<CarryTakeAnswer> {
    const agent = this.member(auth, target, now);
    const req = codec(() => decodeTakeRequest(body));
    const room = Math.min(req.max, MAX_CARRY_BATCH_BYTES);
    const out: Uint8Array[] = [];
    let bytes = 0;
    if (room > 0) {
      const held = new Set(req.held);
      for (const m of this.node.store.list({ exclude: held, where: (m) => m.audience !== 'local' })) {
        if (out.length >= MAX_CARRY_BUNDLES) break;
        if (m.size > room - bytes) continue; // a smaller, later one may still fit
        if (!this.takeBytes.take(agent, m.size, now)) break;
        const b = await this.node.store.get(m.id);
        if (!b) continue; // evicted or expired since the listing
        out.push(b);
        bytes += b.length;
      }
    }
    this.counts.taken += out.length;
    if (out.length > 0) this.log.info({ agent, bundles: out.length, bytes }, 'bundles taken by a carrying phone');
    return { node: this.node.nodeId, bundles: out };
  }

  async handIn(body: Uint8Array, auth: string | undefined, target: RequestTarget, now = Date.now()): Promise<CarryHandInAnswer> {
    const agent = this.member(auth, target, now);
    if (!this.handInBytes.take(agent, body.length, now)) throw new CarryError(429, 'carry-quota', 'this member has handed in too many bytes; try again later');
    const { bundles } = codec(() => decodeHandIn(body));
    const answer: CarryHandInAnswer = { node: this.node.nodeId, accepted: [], refused: [] };
    const from = `phone:${agent}`;
    // All at once, as a TCPCL session's transfers arrive: the store's journal commits them in one burst.
    // Within the member's cap, in the order handed in; the rest stays on the phone for another relay.
    let room = this.carried.room(agent);
    const within = bundles.map((b) => (b.length <= room ? ((room -= b.length), true) : false));
    const outcomes = await Promise.allSettled(bundles.map((b, i) => (within[i] ? this.node.handIn(b, from) : Promise.resolve<HandInOutcome>({ ok: false, reason: MEMBER_CAP_REFUSAL }))));
    let notKept = 0;
    outcomes.forEach((o, index) => {
      if (o.status === 'fulfilled') {
        const r = o.value;
        if (r.ok && r.outcome === 'stored') this.carried.add(agent, r.id, bundles[index].length);
        if (!r.ok && r.reason === MEMBER_CAP_REFUSAL) {
          this.counts.overMemberCap++;
          notKept++;
        }
        if (r.ok) answer.accepted.push({ id: r.id, outcome: r.outcome });
        else answer.refused.push(r.id === undefined ? { index, reason: r.reason } : { index, id: r.id, reason: r.reason });
        return;
      }
      const err = o.reason;
      if (err instanceof StoreError && err.code === 'invalid-meta') return void answer.refused.push({ index, reason: 'malformed: store-meta' });
      // The store has no room (or its disk failed): the phone keeps this one for another relay.
      answer.refused.push({ index, reason: `not-kept: ${err instanceof StoreError ? err.code : 'no-room'}` });
      notKept++;
    });
    if (notKept) this.log.warn({ agent, notKept }, 'carried bundles not kept');
    if (answer.accepted.some((a) => a.outcome === 'stored')) this.kept();
    this.counts.handedIn += answer.accepted.filter((a) => a.outcome === 'stored').length;
    this.counts.refused += answer.refused.length;
    this.log.info({ agent, accepted: answer.accepted.length, refused: answer.refused.length }, 'bundles handed in by a carrying phone');
    return answer;
  }
}

/** A body that does not decode is the phone's mistake: 413 when too large, else 400, with the codec's words. */
function codec<T>(decode: () => T): T {
  try {
    return decode();
  } catch (err) {
    if (err instanceof CarryCodecError) throw new CarryError(err.code === 'too-large' ? 413 : 400, err.code, err.message);
    throw err;
  }
}
