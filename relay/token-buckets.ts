export interface BucketLimit {
  /** Tokens a key may spend at once. */
  burst: number;
  /** Tokens that come back each second. */
  perSecond: number;
}

/**
 * Token buckets by key, where one use may cost many tokens (bytes, say). Bounded in memory: beyond
 * `maxKeys` the stalest bucket is forgotten, which only ever gives a key back its full burst.
 */
export class TokenBuckets {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    readonly limit: BucketLimit,
    private readonly maxKeys = 10_000,
  ) {}

  /** Spends `cost` tokens of `key` if it has them; false (and nothing spent) otherwise. */
  take(key: string, cost: number, now: number): boolean {
    const b = this.refill(key, now);
    if (b.tokens < cost) return false;
    b.tokens -= cost;
    return true;
  }

  /** Milliseconds until `key` has `cost` tokens again (0 when it has them now). */
  waitMs(key: string, cost: number, now: number): number {
    const b = this.refill(key, now);
    return b.tokens >= cost ? 0 : Math.ceil(((cost - b.tokens) / this.limit.perSecond) * 1000);
  }

  forget(key: string): void {
    this.buckets.delete(key);
  }

  private refill(key: string, now: number): { tokens: number; at: number } {
    const b = this.buckets.get(key) ?? { tokens: this.limit.burst, at: now };
    b.tokens = Math.min(this.limit.burst, b.tokens + (Math.max(0, now - b.at) / 1000) * this.limit.perSecond);
    b.at = now;
    this.buckets.delete(key); // re-insert: Map order is recency order
    this.buckets.set(key, b);
    if (this.buckets.size > this.maxKeys) this.buckets.delete(this.buckets.keys().next().value!);
    return b;
  }
}
