import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_THRESHOLDS } from '../../../src/core/model/types.ts';
import { buildGraph, can, computeScores, DEFAULT_TRUST_PARAMS, explainTrust, perspectiveScores, tierOf, withStewards, type Perspective } from '../../../src/core/trust/index.ts';
import type { Edge } from './helpers.ts';

const T = DEFAULT_THRESHOLDS;
const { decay } = DEFAULT_TRUST_PARAMS;

/** The gates a phone shows its owner: judged on the owner's standing, as client/trust-book.ts does. */
function gates(vouches: Edge[], p: Perspective) {
  const s = perspectiveScores(vouches, p);
  const self = { scores: { score: () => s.standing }, thresholds: T, sanctuaryTier: 'steward' as const };
  return { standing: s.standing, s, allowed: (a: Parameters<typeof can>[2]) => can(self, p.viewer, a).allowed };
}

/** A newcomer who used no invite and vouched for nobody: their view is anchored only on the organisers. */
const newcomer = (viewer: string, organisers: string[]): Perspective => withStewards({ viewer, anchors: [], founder: false }, organisers);

describe('trust defaults that work for people', () => {
  it('Scenario: one in-person vouch from an organiser lets a newcomer post and message', () => {
    // Worked example (web-of-trust spec): organiser o vouches "I know them" (strength 2) for n.
    const g = gates([{ from: 'o', to: 'n', strength: 2 }], newcomer('n', ['o']));
    expect(g.standing).toBeCloseTo(decay * (2 / 3), 12); // 0.533
    expect(g.allowed('post-offer')).toBe(true);
    expect(g.allowed('message')).toBe(true);
    expect(g.allowed('view-members')).toBe(true);
    // One "I know them" does not yet let them vouch for others or see alerts.
    expect(g.allowed('vouch')).toBe(false);
    expect(g.allowed('see-alerts')).toBe(false);
  });

  it('Scenario: one in-person vouch from a trusted member lets a newcomer post and message', () => {
    // o knows t well (0.8: trusted); t vouches "I know them" for n: 0.8 × 0.533 = 0.427 in o's view.
    const vouches: Edge[] = [
      { from: 'o', to: 't', strength: 3 },
      { from: 't', to: 'n', strength: 2 },
    ];
    expect(tierOf(computeScores(buildGraph(vouches), 'o').score('t'), T)).toBe('trusted');
    const g = gates(vouches, newcomer('n', ['o']));
    expect(g.standing).toBeCloseTo(0.8 * decay * (2 / 3), 12);
    expect(g.allowed('post-offer')).toBe(true);
    expect(g.allowed('message')).toBe(true);
  });

  it('Scenario: "met once" alone does not let a newcomer post offers', () => {
    const g = gates([{ from: 'o', to: 'n', strength: 1 }], newcomer('n', ['o']));
    expect(g.allowed('view-members')).toBe(true);
    expect(g.allowed('post-offer')).toBe(false);
  });

  it('Scenario: two people who know a member make them trusted; one who knows them well does too', () => {
    const two = gates([{ from: 'o', to: 'n', strength: 2 }, { from: 'o', to: 'p', strength: 3 }, { from: 'p', to: 'n', strength: 3 }], newcomer('n', ['o']));
    expect(two.allowed('vouch')).toBe(true);
    expect(gates([{ from: 'o', to: 'n', strength: 3 }], newcomer('n', ['o'])).allowed('vouch')).toBe(true);
  });

  it('Scenario: a newcomer sees the organisers as trusted and the people they vouched for as vouched', () => {
    const vouches: Edge[] = [
      { from: 'o', to: 'a', strength: 2 },
      { from: 'o', to: 'b', strength: 3 },
    ];
    const s = perspectiveScores(vouches, newcomer('n', ['o']));
    expect(tierOf(s.score('o'), T)).toBe('trusted');
    expect(tierOf(s.score('a'), T)).toBe('vouched');
    expect(tierOf(s.score('b'), T)).toBe('vouched');
    // Without the organisers as anchors the same newcomer sees nobody (the finding this fixes).
    expect(perspectiveScores(vouches, { viewer: 'n', anchors: [], founder: false }).score('o')).toBe(0);
  });

  it('Scenario: an organiser who is also my invite anchor counts once', () => {
    const p = withStewards({ viewer: 'n', anchors: ['o'], founder: false }, ['o', 'n']);
    expect(p.anchors).toEqual(['o']);
    const dup = perspectiveScores([], { viewer: 'n', anchors: ['o', 'o'], founder: false });
    expect(dup.score('o')).toBeCloseTo(decay, 12);
  });

  it('Scenario: any member whose strongest chain reaches the trusted bar passes post and message on with one "I know them" (property)', () => {
    // What a member passes on is their strongest single chain (not their noisy-OR score), so the claim is
    // about that chain. Small graphs: the voucher's capacity (8 × its score) cannot bind.
    const ids = ['o', 'a', 'b', 'c', 't'];
    const edge = fc.record({ from: fc.constantFrom(...ids), to: fc.constantFrom(...ids), strength: fc.constantFrom(1, 2, 3) }).filter((e) => e.from !== e.to);
    fc.assert(
      fc.property(fc.array(edge, { maxLength: 12 }), (es) => {
        const g = buildGraph(es);
        const chain = explainTrust(g, computeScores(g, 'o'), 't', 1).chains[0]?.weight ?? 0;
        fc.pre(chain >= T.vouch);
        const after = computeScores(buildGraph([...es, { from: 't', to: 'n', strength: 2 }]), 'o').score('n');
        expect(after).toBeGreaterThanOrEqual(T.message);
        expect(after).toBeGreaterThanOrEqual(T.post);
      }),
      { numRuns: 300 },
    );
    expect(T.vouch * decay * (2 / 3)).toBeGreaterThanOrEqual(T.message);
  });
});
