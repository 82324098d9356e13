import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_THRESHOLDS } from '../../../src/core/model/types.ts';
import { PREVIEW_ACTIONS, thresholdPreview } from '../../../src/core/trust/index.ts';

const people = [
  { agentId: 'ana', score: 0.8 },
  { agentId: 'beto', score: 0.53 },
  { agentId: 'carla', score: 0.3 },
];

describe('threshold preview', () => {
  it('Scenario: raising the post and message bar shows who could no longer post or message', () => {
    const after = { ...DEFAULT_THRESHOLDS, post: 0.6, message: 0.6 };
    expect(thresholdPreview(people, DEFAULT_THRESHOLDS, after)).toEqual([{ agentId: 'beto', gains: [], loses: ['post-offer', 'message'] }]);
  });

  it('Scenario: lowering the vouch bar shows who could now vouch and see alerts', () => {
    const after = { ...DEFAULT_THRESHOLDS, vouch: 0.5 };
    expect(thresholdPreview(people, DEFAULT_THRESHOLDS, after)).toEqual([{ agentId: 'beto', gains: ['vouch', 'see-alerts'], loses: [] }]);
  });

  it('Scenario: unchanged thresholds change nothing for anyone (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 30 }), (scores) => {
        const ps = scores.map((score, i) => ({ agentId: `p${i}`, score }));
        expect(thresholdPreview(ps, DEFAULT_THRESHOLDS, DEFAULT_THRESHOLDS)).toEqual([]);
        // Raising every bar only ever takes steps away.
        const up = thresholdPreview(ps, DEFAULT_THRESHOLDS, { view: 0.5, post: 0.6, message: 0.7, vouch: 0.8, steward: 0.95 });
        for (const c of up) {
          expect(c.gains).toEqual([]);
          for (const a of c.loses) expect(PREVIEW_ACTIONS).toContain(a);
        }
      }),
    );
  });
});
