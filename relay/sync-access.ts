import { MAX_OPS_AT_ONCE } from '../src/core/sync/automerge-op-count.ts';
import type { Session } from './session-gate.ts';
import { TokenBuckets, type BucketLimit } from './token-buckets.ts';

/**
 * How much a phone may push over sync. A member (its key is in a community it may sync) is trusted
 * with more than a newcomer holding only an invite. Docs: new docs it may bring that no community lists
 * yet (a phone makes its feed, and maybe a sanctuary doc, before the member entry naming them arrives).
 * Bytes: a token bucket over the sync data it sends.
 */
export const SYNC_QUOTA = {
  member: { newDocs: 32, bytes: { burst: 64 * 1024 * 1024, perSecond: 1024 * 1024 } },
  newcomer: { newDocs: 16, bytes: { burst: 4 * 1024 * 1024, perSecond: 64 * 1024 } },
  /** All newcomers together: fresh keys cost nothing to make, so they also share one budget (members never draw on it). */
  allNewcomers: { burst: 64 * 1024 * 1024, perSecond: 1024 * 1024 },
  /**
   * Automerge ops (src/core/sync/automerge-op-count.ts): what taking a message in costs the relay, which bytes
   * do not bound (a 135-byte change can delete a million characters, each an op). One message past
   * `perMessage` closes the socket (MAX_OPS_AT_ONCE says why). Then a bucket per key, like bytes:
   * applying a million text ops took this relay's CPU about 1.7 s.
   */
  ops: {
    perMessage: MAX_OPS_AT_ONCE,
    member: { burst: 8_000_000, perSecond: 250_000 },
    newcomer: { burst: 4_000_000, perSecond: 64_000 },
    allNewcomers: { burst: 8_000_000, perSecond: 250_000 },
  },
  /** Docs brought in by all keys together that no community lists: a flood of fresh keys stops here. */
  unlistedDocs: 20_000,
  /** Sync messages one socket may send: a burst for a first sync, then a steady rate. */
  messages: { burst: 4000, perSecond: 400 },
  /**
   * Of those, requests answered "unavailable" (a doc nobody has, or one the session may not read): a
   * phone on an island its community's feeds have not all reached asks for a few hundred at most. A
   * burst of 4,000 of them, answered at once, slowed an honest phone syncing at that moment 2.5 times.
   */
  misses: { burst: 256, perSecond: 1000 },
} as const;

export type Verdict = 'pass' | 'refuse' | 'over-quota';

/** One quantity's budget: a bucket per member key; per newcomer key and one all newcomers share. */
class Budget {
  private readonly members: TokenBuckets;
  private readonly newcomers: TokenBuckets;
  private readonly allNewcomers: TokenBuckets;

  constructor(member: BucketLimit, newcomer: BucketLimit, allNewcomers: BucketLimit) {
    this.members = new TokenBuckets(member);
    this.newcomers = new TokenBuckets(newcomer);
    this.allNewcomers = new TokenBuckets(allNewcomers);
  }

  take(key: string, member: boolean, amount: number, now: number): boolean {
    if (member) return this.members.take(key, amount, now);
    if (this.newcomers.waitMs(key, amount, now) > 0) return false;
    if (!this.allNewcomers.take('*', amount, now)) return false;
    return this.newcomers.take(key, amount, now);
  }
}

/** What the relay knows about a doc id: which community doc it belongs to, if any. */
export interface DocDirectory {
  communityDocOf(docId: string): string | undefined;
  isMember(communityDocId: string, key: string): boolean;
}

interface KeyUse {
  docs: number;
}

/**
 * Decides, per sync message, whether a session may touch a doc: a community's docs (the community
 * doc, its members' feeds, its sanctuary doc) go to sessions of that community only; a doc no community
 * lists goes only to the key that brought it; a doc the relay has never heard of is a cheap miss, unless
 * the message pushes it (then it counts against the pusher's quota). Nothing here creates a handle.
 */
export class SyncAccess {
  /** docs pushed that no community listed when they came -> the key that brought them. Bounded. */
  private readonly owners = new Map<string, string>();
  private readonly uses = new Map<string, KeyUse>();
  private readonly bytes = new Budget(SYNC_QUOTA.member.bytes, SYNC_QUOTA.newcomer.bytes, SYNC_QUOTA.allNewcomers);
  private readonly ops = new Budget(SYNC_QUOTA.ops.member, SYNC_QUOTA.ops.newcomer, SYNC_QUOTA.ops.allNewcomers);
  readonly counts = { refused: 0, overQuota: 0, newDocs: 0, tooManyOps: 0, docFull: 0 };

  constructor(private readonly dir: DocDirectory) {}

  private member(s: Session): boolean {
    for (const c of s.communities) if (this.dir.isMember(c, s.key)) return true;
    return false;
  }

  /** Whether `s` may read a doc the relay holds (used as automerge-repo's share policy too). */
  mayRead(s: Session, docId: string): boolean {
    const community = this.dir.communityDocOf(docId);
    if (community !== undefined) return s.communities.has(community);
    return this.owners.get(docId) === s.key;
  }

  /** Whether any community lists `docId`, or a key brought it: unknown ids are the cheap misses. */
  isKnown(docId: string): boolean {
    return this.dir.communityDocOf(docId) !== undefined || this.owners.has(docId);
  }

  /** A sync message of `type` about `docId` carrying `bytes` of data that Automerge would take in as `ops`, from session `s`. */
  judge(s: Session, type: string, docId: string, bytes: number, ops = 0, now = Date.now()): Verdict {
    const member = this.member(s);
    if ((bytes > 0 && !this.bytes.take(s.key, member, bytes, now)) || (ops > 0 && !this.ops.take(s.key, member, ops, now))) {
      this.counts.overQuota++;
      return 'over-quota';
    }
    if (this.mayRead(s, docId)) return 'pass';
    const known = this.isKnown(docId);
    // Only a doc nobody has claimed can be brought in, and only by a message that carries it.
    if (known || type !== 'sync') {
      this.counts.refused++;
      return 'refuse';
    }
    const use = this.uses.get(s.key) ?? { docs: 0 };
    const limit = this.member(s) ? SYNC_QUOTA.member.newDocs : SYNC_QUOTA.newcomer.newDocs;
    if (use.docs >= limit || this.owners.size >= SYNC_QUOTA.unlistedDocs) {
      this.counts.overQuota++;
      return 'refuse';
    }
    use.docs++;
    this.uses.set(s.key, use);
    this.owners.set(docId, s.key);
    this.counts.newDocs++;
    return 'pass';
  }

  /** A doc a community now lists no longer counts against the key that brought it. */
  listed(docId: string): void {
    const key = this.owners.get(docId);
    if (key === undefined) return;
    this.owners.delete(docId);
    const use = this.uses.get(key);
    if (use && --use.docs <= 0) this.uses.delete(key);
  }
}
