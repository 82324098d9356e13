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
    const p = perspectiveScores(buildGraph(edges), { viewer: 'n', anchors: [], founder: false });
    expect(p.score('n')).toBe(1);
    expect(p.score('a')).toBe(0);
    expect(p.standing).toBe(0);
  });

  it('Scenario: the founder stands at 1 before anyone vouches', () => {
    const p = perspectiveScores(buildGraph([]), { viewer: 'f', anchors: [], founder: true });
    expect(p.standing).toBe(1);
  });

  it('Scenario: a member anchored at their inviter sees through the inviter and stands where the inviter puts them', () => {
    const p = perspectiveScores(buildGraph(edges), { viewer: 'n', anchors: ['f'], founder: false });
    expect(p.score('a')).toBeCloseTo(0.8, 12);
    expect(p.score('b')).toBeCloseTo(0.64, 12);
    expect(p.rootOf('b')).toBe('f');
    expect(p.standing).toBeCloseTo(0.8 * (2 / 3), 12);
  });

  it('Scenario: revocation takes effect on standing', () => {
    const without = edges.filter((e) => e.to !== 'n');
    expect(perspectiveScores(buildGraph(without), { viewer: 'n', anchors: ['f'], founder: false }).standing).toBe(0);
  });

  it('Scenario: the perspective gives each member the best score of any root (property)', () => {
    const ids = ['v', 'w', 'x', 'y', 'z'];
    const edge = fc.record({ from: fc.constantFrom(...ids), to: fc.constantFrom(...ids), strength: fc.constantFrom(1, 2, 3) }).filter((e) => e.from !== e.to);
    fc.assert(
      fc.property(fc.array(edge, { maxLength: 15 }), fc.subarray(ids.slice(1)), (es, anchors) => {
        const g = buildGraph(es);
        const p = perspectiveScores(g, { viewer: 'v', anchors, founder: false });
        for (const id of ids) {
          const best = Math.max(...['v', ...anchors].map((r) => computeScores(g, r).score(id)));
          expect(p.score(id)).toBe(best);
        }
        expect(p.standing).toBe(Math.max(0, ...anchors.map((a) => computeScores(g, a).score('v'))));
      }),
    );
  });
});
