export interface RateLimit {
  /** Requests allowed in a burst. */
  burst: number;
  /** One more request allowed every this many ms. */
  everyMs: number;
}

/**
 * Per-member: a burst of 5 queries, then one every 6 s (10 a minute).
 * Per-relay (queries arriving from another island's relay): a burst of 20, then one every 3 s.
 */
export const MEMBER_QUERY_LIMIT: RateLimit = { burst: 5, everyMs: 6000 };
export const RELAY_QUERY_LIMIT: RateLimit = { burst: 20, everyMs: 3000 };

/** Token buckets by key, bounded in memory: beyond `maxKeys` the stalest bucket is forgotten. */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    readonly limit: RateLimit,
    private readonly maxKeys = 10_000,
  ) {}

  take(key: string, now: number): boolean {
    const b = this.buckets.get(key) ?? { tokens: this.limit.burst, at: now };
    b.tokens = Math.min(this.limit.burst, b.tokens + Math.max(0, now - b.at) / this.limit.everyMs);
    b.at = now;
    this.buckets.delete(key); // re-insert: Map order is recency order
    this.buckets.set(key, b);
    if (this.buckets.size > this.maxKeys) this.buckets.delete(this.buckets.keys().next().value!);
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    return true;
  }
}
