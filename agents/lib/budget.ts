import type { AgentInput } from '../types.ts';

/**
 * Counts steps of work against `input.budget`; once spent, an agent stops and returns what it has.
 * No budget (or +Infinity, or NaN) is unlimited; a negative one, -Infinity included, allows no work, as 0 does.
 */
export class Budget {
  private left: number;
  constructor(input: AgentInput) {
    const b = input.budget;
    // -Infinity is a negative budget like any other (no work); only +Infinity and NaN read as "no limit".
    this.left = typeof b === 'number' && !Number.isNaN(b) ? Math.max(0, Math.floor(b)) : Number.POSITIVE_INFINITY;
  }

  /** Spends `n` steps; false when the budget does not cover them (and from then on): the caller stops. */
  spend(n = 1): boolean {
    if (this.left < n) {
      this.left = 0;
      return false;
    }
    this.left -= n;
    return true;
  }

  /** Grants up to `n` steps at once (fewer when the budget runs out): for tight loops. */
  grant(n: number): number {
    const k = Math.min(n, this.left);
    this.left -= k;
    return k;
  }

  get exhausted(): boolean {
    return this.left <= 0;
  }
}
