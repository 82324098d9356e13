/**
 * PRoPHET delivery predictabilities (RFC 6693 §2.1.1): per endpoint, how likely this node is to
 * deliver there. Three rules change them, all keeping every value in [0, 1]:
 * - encounter with B:  P(A,B) = P(A,B)old + (1 − δ − P(A,B)old) · P_init
 * - ageing by k time units:  P = P · γ^k
 * - transitivity through B:  P(A,C) = max(P(A,C)old, P(A,B) · P(B,C) · β)
 * The parameters are the ones the project chose (P_init 0.75, β 0.25, γ 0.98 per hour); δ is RFC
 * 6693's small bound that keeps a predictability below 1, so no endpoint is ever "certain".
 */
export interface ProphetParams {
  pInit: number;
  beta: number;
  gamma: number;
  delta: number;
  /** Length of one ageing time unit, ms. */
  timeUnitMs: number;
}

export const PROPHET_PARAMS: ProphetParams = { pInit: 0.75, beta: 0.25, gamma: 0.98, delta: 0.01, timeUnitMs: 3600_000 };

/** Below this a predictability is forgotten: it keeps the table (and the announce) small. */
const FORGET_BELOW = 1e-4;
/** Endpoints remembered at most; a hostile peer's table cannot grow ours past it. */
export const MAX_PREDICTABILITIES = 10_000;

export function encounter(pOld: number, p: ProphetParams): number {
  return pOld + (1 - p.delta - pOld) * p.pInit;
}

export function aged(pOld: number, units: number, p: ProphetParams): number {
  return pOld * Math.pow(p.gamma, units);
}

export function transitive(pAcOld: number, pAb: number, pBc: number, p: ProphetParams): number {
  return Math.max(pAcOld, pAb * pBc * p.beta);
}

export class PredictabilityTable {
  private readonly p = new Map<string, number>();
  private agedAt: number;

  constructor(
    readonly params: ProphetParams,
    now: number,
  ) {
    this.agedAt = now;
  }

  /** What survives a restart: when the values were last aged, and the values (bounded). */
  snapshot(): { agedAt: number; entries: Array<[string, number]> } {
    return { agedAt: this.agedAt, entries: [...this.p].slice(0, MAX_PREDICTABILITIES) };
  }

  /**
   * Values from before a restart, aged since then on the next age() (the time the relay was down
   * counts: it met no one). Values outside [0, 1) and past the bound are left out.
   */
  restore(s: { agedAt: number; entries: ReadonlyArray<readonly [string, number]> }): void {
    if (Number.isFinite(s.agedAt) && s.agedAt <= this.agedAt) this.agedAt = s.agedAt;
    for (const [k, v] of s.entries) {
      if (this.p.size >= MAX_PREDICTABILITIES) break;
      if (Number.isFinite(v) && v >= FORGET_BELOW && v < 1) this.p.set(k, v);
    }
  }

  get(endpoint: string): number {
    return this.p.get(endpoint) ?? 0;
  }

  entries(): IterableIterator<[string, number]> {
    return this.p.entries();
  }

  get size(): number {
    return this.p.size;
  }

  /** Ages every value by the whole time units since the last ageing (a clock going back ages nothing). */
  age(now: number): void {
    const units = Math.floor((now - this.agedAt) / this.params.timeUnitMs);
    if (units <= 0) return;
    this.agedAt += units * this.params.timeUnitMs;
    for (const [k, v] of this.p) {
      const a = aged(v, units, this.params);
      if (a < FORGET_BELOW) this.p.delete(k);
      else this.p.set(k, a);
    }
  }

  encounter(endpoint: string): void {
    if (!this.p.has(endpoint) && this.p.size >= MAX_PREDICTABILITIES) return;
    this.p.set(endpoint, encounter(this.get(endpoint), this.params));
  }

  /** Transitivity through peer `via`, from the peer's table; endpoints this node serves are skipped. */
  learn(via: string, theirs: ReadonlyMap<string, number>, own: ReadonlySet<string>): void {
    const pAb = this.get(via);
    for (const [c, pBc] of theirs) {
      if (c === via || own.has(c)) continue;
      const next = transitive(this.get(c), pAb, pBc, this.params);
      if (next < FORGET_BELOW || (!this.p.has(c) && this.p.size >= MAX_PREDICTABILITIES)) continue;
      this.p.set(c, next);
    }
  }
}
