import { describe, expect, it } from 'vitest';
import { buildGraph, computeScores, explainTrust } from '../../../src/core/trust/index.ts';
import { chain, type Edge } from './helpers.ts';

describe('why: vouch chains', () => {
  const edges: Edge[] = [
    ...chain(['v', 'a', 't'], 3),
    { from: 'v', to: 'b', strength: 2 },
    { from: 'b', to: 't', strength: 3 },
    ...chain(['v', 'c', 'd', 't'], 1),
  ];
  const g = buildGraph(edges);
  const scores = computeScores(g, 'v');

  it('Scenario: the people page lists the strongest chains from me, each hop with its strength', () => {
    const why = explainTrust(g, scores, 't', 3);
    expect(why.score).toBeCloseTo(scores.score('t'), 12);
    expect(why.chains.map((c) => c.hops.map((h) => h.to))).toEqual([['a', 't'], ['b', 't'], ['c', 'd', 't']]);
    expect(why.chains[0].hops).toEqual([{ from: 'v', to: 'a', strength: 3 }, { from: 'a', to: 't', strength: 3 }]);
    expect(why.chains[0].weight).toBeCloseTo(0.64, 12);
    for (let i = 1; i < why.chains.length; i++) expect(why.chains[i].weight).toBeLessThanOrEqual(why.chains[i - 1].weight);
    expect(why.vouchers.map((x) => x.from)).toEqual(['a', 'b', 'd']);
    expect(explainTrust(g, scores, 't', 1).chains).toHaveLength(1);
  });

  it('Scenario: no chain is shown for someone out of reach', () => {
    const far = buildGraph(chain(['v', ...Array.from({ length: 12 }, (_, i) => `p${i}`)]));
    const why = explainTrust(far, computeScores(far, 'v'), 'p11');
    expect(why.score).toBe(0);
    expect(why.chains).toEqual([]);
    expect(explainTrust(g, scores, 'nobody').chains).toEqual([]);
  });

  it('Scenario: chains are simple and at most 10 hops even in a dense graph', () => {
    const dense: Edge[] = [];
    for (let i = 0; i < 30; i++) for (let j = 0; j < 30; j++) if (i !== j) dense.push({ from: `n${i}`, to: `n${j}`, strength: 2 });
    const dg = buildGraph(dense);
    const why = explainTrust(dg, computeScores(dg, 'n0'), 'n29', 5);
    expect(why.chains).toHaveLength(5);
    for (const c of why.chains) {
      const nodes = ['n0', ...c.hops.map((h) => h.to)];
      expect(new Set(nodes).size).toBe(nodes.length);
      expect(c.hops.length).toBeLessThanOrEqual(10);
    }
  });
});
