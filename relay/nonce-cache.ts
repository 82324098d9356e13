/**
 * Nonces seen within a time window, so a signed request or handshake is good once. Bounded: when full
 * of nonces that have not expired yet, add() refuses (fails closed) rather than forgetting one early,
 * which would let it be replayed.
 */
export class NonceCache {
  /** nonce -> when it may be forgotten; insertion order is (nearly) time order. */
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly max: number,
    private readonly windowMs: number,
  ) {}

  get size(): number {
    return this.seen.size;
  }

  /** True when the nonce is new (and now remembered); false when seen before or the cache is full. */
  add(nonce: string, now: number): boolean {
    this.prune(now);
    const until = this.seen.get(nonce);
    if (until !== undefined && until > now) return false;
    if (this.seen.size >= this.max) return false;
    this.seen.set(nonce, now + this.windowMs);
    return true;
  }

  private prune(now: number): void {
    // Bounded work per call: expired entries sit at the front.
    let n = 0;
    for (const [nonce, until] of this.seen) {
      if (until > now || n++ >= 1000) break;
      this.seen.delete(nonce);
    }
  }
}
