import { describe, expect, it } from 'vitest';
import { DEFAULT_THRESHOLDS } from '../../../src/core/model/types.ts';
import { ACTIONS, can, checkThresholds, ThresholdsError, tierOf, type Action, type TrustContext } from '../../../src/core/trust/index.ts';

// The gate's logic is tested against fixed thresholds with a distinct bar for every action (the defaults
// put post and message at the same bar, which would hide a mix-up between them).
const T = { view: 0.3, post: 0.5, message: 0.6, vouch: 0.7, steward: 0.9 };
const scoreTable: Record<string, number> = { unknown: 0, viewer: 0.35, poster: 0.55, messenger: 0.65, trusted: 0.75, steward: 0.95 };
const ctx = (sanctuaryTier: 'steward' | 'trusted'): TrustContext => ({
  scores: { score: (id) => scoreTable[id] ?? 0 },
  thresholds: T,
  sanctuaryTier,
});

describe('tiers', () => {
  it('Scenario: tiers follow the community thresholds', () => {
    const t = T;
    expect([0, 0.29, 0.3, 0.49].map((s) => tierOf(s, t))).toEqual(['unknown', 'unknown', 'unknown', 'unknown']);
    expect([0.5, 0.6, 0.69].map((s) => tierOf(s, t))).toEqual(['vouched', 'vouched', 'vouched']);
    expect([0.7, 0.89].map((s) => tierOf(s, t))).toEqual(['trusted', 'trusted']);
    expect([0.9, 1].map((s) => tierOf(s, t))).toEqual(['steward', 'steward']);
    const strict = { view: 0.5, post: 0.6, message: 0.7, vouch: 0.8, steward: 0.95 };
    expect(tierOf(0.75, strict)).toBe('vouched');
    expect(tierOf(0.9, strict)).toBe('trusted');
  });

  it('Scenario: nonsense thresholds from a community doc are rejected', () => {
    expect(checkThresholds(DEFAULT_THRESHOLDS)).toEqual(DEFAULT_THRESHOLDS);
    for (const bad of [null, {}, { ...DEFAULT_THRESHOLDS, post: 2 }, { ...DEFAULT_THRESHOLDS, steward: 0.1 }, { ...DEFAULT_THRESHOLDS, view: Number.NaN }, { ...DEFAULT_THRESHOLDS, vouch: '0.7' }]) {
      expect(() => checkThresholds(bad)).toThrow(ThresholdsError);
    }
  });
});

describe('can(): the one gate', () => {
  // Rows: actor; columns: actions in ACTIONS order. 1 = allowed.
  const matrix: Record<string, Record<Action, 0 | 1>> = {
    unknown: { 'view-public': 1, 'view-members': 0, 'post-offer': 0, 'post-need': 1, message: 0, 'see-alerts': 0, 'raise-alert': 0, 'see-sanctuary': 0, 'print-sanctuary': 0, 'print-noticeboard': 0, vouch: 0, steward: 0 },
    viewer: { 'view-public': 1, 'view-members': 1, 'post-offer': 0, 'post-need': 1, message: 0, 'see-alerts': 0, 'raise-alert': 0, 'see-sanctuary': 0, 'print-sanctuary': 0, 'print-noticeboard': 0, vouch: 0, steward: 0 },
    poster: { 'view-public': 1, 'view-members': 1, 'post-offer': 1, 'post-need': 1, message: 0, 'see-alerts': 0, 'raise-alert': 0, 'see-sanctuary': 0, 'print-sanctuary': 0, 'print-noticeboard': 1, vouch: 0, steward: 0 },
    messenger: { 'view-public': 1, 'view-members': 1, 'post-offer': 1, 'post-need': 1, message: 1, 'see-alerts': 0, 'raise-alert': 0, 'see-sanctuary': 0, 'print-sanctuary': 0, 'print-noticeboard': 1, vouch: 0, steward: 0 },
    trusted: { 'view-public': 1, 'view-members': 1, 'post-offer': 1, 'post-need': 1, message: 1, 'see-alerts': 1, 'raise-alert': 1, 'see-sanctuary': 0, 'print-sanctuary': 0, 'print-noticeboard': 1, vouch: 1, steward: 0 },
    steward: { 'view-public': 1, 'view-members': 1, 'post-offer': 1, 'post-need': 1, message: 1, 'see-alerts': 1, 'raise-alert': 1, 'see-sanctuary': 1, 'print-sanctuary': 1, 'print-noticeboard': 1, vouch: 1, steward: 1 },
  };

  it('Scenario: the gate matrix with sanctuary for stewards', () => {
    for (const [actor, row] of Object.entries(matrix)) {
      for (const action of ACTIONS) {
        const d = can(ctx('steward'), actor, action, 'someone-else');
        expect({ actor, action, allowed: d.allowed }).toEqual({ actor, action, allowed: row[action] === 1 });
        expect(d.reason).toMatch(/^trust\./);
      }
    }
  });

  it('Scenario: vouched members may print the noticeboard, newcomers may not', () => {
    expect(can(ctx('steward'), 'poster', 'print-noticeboard').allowed).toBe(true);
    expect(can(ctx('steward'), 'viewer', 'print-noticeboard')).toEqual({ allowed: false, reason: 'trust.denied.needs-vouched' });
    expect(can(ctx('steward'), 'poster', 'print-sanctuary').allowed).toBe(false);
  });

  it('Scenario: a community that opens sanctuary to trusted members', () => {
    expect(can(ctx('trusted'), 'trusted', 'see-sanctuary').allowed).toBe(true);
    expect(can(ctx('trusted'), 'trusted', 'print-sanctuary').allowed).toBe(true);
    expect(can(ctx('trusted'), 'messenger', 'see-sanctuary')).toEqual({ allowed: false, reason: 'trust.denied.needs-trusted' });
  });

  it('Scenario: an unvouched newcomer may post a need, flagged unvouched', () => {
    expect(can(ctx('steward'), 'unknown', 'post-need')).toEqual({ allowed: true, reason: 'trust.allowed.unvouched-need', flag: 'unvouched' });
    expect(can(ctx('steward'), 'poster', 'post-need').flag).toBeUndefined();
    expect(can(ctx('steward'), 'unknown', 'post-offer')).toEqual({ allowed: false, reason: 'trust.denied.needs-vouched' });
    expect(can(ctx('steward'), 'unknown', 'view-public').allowed).toBe(true);
  });

  it('Scenario: nobody vouches for or messages themselves', () => {
    expect(can(ctx('steward'), 'steward', 'vouch', 'steward')).toEqual({ allowed: false, reason: 'trust.denied.self' });
    expect(can(ctx('steward'), 'steward', 'message', 'steward').allowed).toBe(false);
    expect(can(ctx('steward'), 'steward', 'bogus' as Action).allowed).toBe(false);
  });
});
