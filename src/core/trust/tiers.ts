import type { TrustThresholds } from '../model/types.ts';

/** Ordered lowest first; a higher tier has every right of the lower ones. */
export const TIERS = ['unknown', 'vouched', 'trusted', 'steward'] as const;
export type Tier = (typeof TIERS)[number];

/**
 * unknown < post ≤ vouched < vouch ≤ trusted < steward ≤ steward-tier. "Trusted" means trusted
 * enough to vouch for others; "view" and "message" are finer per-action thresholds used by can().
 */
export function tierOf(score: number, t: TrustThresholds): Tier {
  if (score >= t.steward) return 'steward';
  if (score >= t.vouch) return 'trusted';
  if (score >= t.post) return 'vouched';
  return 'unknown';
}

export function tierAtLeast(tier: Tier, min: Tier): boolean {
  return TIERS.indexOf(tier) >= TIERS.indexOf(min);
}

export class ThresholdsError extends Error {
  override name = 'ThresholdsError';
}

/**
 * Community-configured thresholds are shared data written by members: reject nonsense rather than
 * silently open every gate. Each must be in [0, 1] and view ≤ post ≤ message ≤ vouch ≤ steward.
 */
export function checkThresholds(t: unknown): TrustThresholds {
  const keys = ['view', 'post', 'message', 'vouch', 'steward'] as const;
  if (typeof t !== 'object' || t === null) throw new ThresholdsError('thresholds missing');
  const r = t as Record<string, unknown>;
  let prev = 0;
  for (const k of keys) {
    const v = r[k];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > 1) throw new ThresholdsError(`${k} must be a number in [0, 1]`);
    if (v < prev) throw new ThresholdsError(`${k} must not be below the thresholds before it`);
    prev = v;
  }
  return { view: r.view, post: r.post, message: r.message, vouch: r.vouch, steward: r.steward } as TrustThresholds;
}
