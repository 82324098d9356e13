import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildGraph, computeScores, perspectiveScores } from '../../../src/core/trust/index.ts';
import type { Edge } from './helpers.ts';

const edges: Edge[] = [
  { from: 'f', to: 'a', strength: 3 },
  { from: 'a', to: 'b', strength: 3 },
  { from: 'f', to: 'n', strength: 2 },
];

describe('a phone\'s perspective: itself plus the anchors it chose in person', () => {
  it('Scenario: a newcomer without anchors sees nobody as vouched and has no standing', () => {
    const p = perspectiveScores(edges, { viewer: 'n', anchors: [], founder: false });
    expect(p.score('n')).toBe(1);
    expect(p.score('a')).toBe(0);
    expect(p.standing).toBe(0);
  });

  it('Scenario: the founder stands at 1 before anyone vouches', () => {
    const p = perspectiveScores([], { viewer: 'f', anchors: [], founder: true });
    expect(p.standing).toBe(1);
  });

  it('Scenario: a member anchored at their inviter sees through the inviter, one full hop away, and stands where the inviter puts them', () => {
    const p = perspectiveScores(edges, { viewer: 'n', anchors: ['f'], founder: false });
    expect(p.score('f')).toBeCloseTo(0.8, 12);
    expect(p.score('a')).toBeCloseTo(0.64, 12);
    expect(p.score('b')).toBeCloseTo(0.512, 12);
    expect(p.standing).toBeCloseTo(0.8 * (2 / 3), 12);
  });

  it('Scenario: the private anchor edge is never mistaken for a published vouch', () => {
    const p = perspectiveScores(edges, { viewer: 'n', anchors: ['f'], founder: false });
    // f does not gain standing from n's private anchor edge: f's score of n is only f's own vouch.
    expect(computeScores(buildGraph(edges), 'f').score('n')).toBeCloseTo(p.standing, 12);
  });

  it('Scenario: revocation takes effect on standing', () => {
    const without = edges.filter((e) => e.to !== 'n');
    expect(perspectiveScores(without, { viewer: 'n', anchors: ['f'], founder: false }).standing).toBe(0);
  });

  it('Scenario: anchors count as a private full-strength vouch from the viewer (property)', () => {
    const ids = ['v', 'w', 'x', 'y', 'z'];
    const edge = fc.record({ from: fc.constantFrom(...ids), to: fc.constantFrom(...ids), strength: fc.constantFrom(1, 2, 3) }).filter((e) => e.from !== e.to);
    fc.assert(
      fc.property(fc.array(edge, { maxLength: 15 }), fc.subarray(ids.slice(1)), (es, anchors) => {
        const g = buildGraph(es);
        const p = perspectiveScores(es, { viewer: 'v', anchors, founder: false });
        const withAnchors = computeScores(buildGraph([...es, ...anchors.map((to) => ({ from: 'v', to, strength: 3 as const }))]), 'v');
        for (const id of ids) expect(p.score(id)).toBe(withAnchors.score(id));
        expect(p.standing).toBe(Math.max(0, ...anchors.map((a) => computeScores(g, a).score('v'))));
      }),
    );
  });
});
