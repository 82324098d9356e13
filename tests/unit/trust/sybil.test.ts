import { describe, expect, it } from 'vitest';
import { buildGraph, computeScores, DEFAULT_TRUST_PARAMS } from '../../../src/core/trust/index.ts';
import { rng, type Edge } from './helpers.ts';

const { decay, capacity } = DEFAULT_TRUST_PARAMS;
const strength = (r: () => number) => (1 + Math.floor(r() * 3)) as 1 | 2 | 3;

/** 200 honest members vouching within small neighbourhoods and across, viewer h0. */
function honest(r: () => number): Edge[] {
  const edges: Edge[] = [];
  for (let i = 0; i < 1200; i++) {
    const a = Math.floor(r() * 200);
    const b = r() < 0.7 ? Math.floor(a / 10) * 10 + Math.floor(r() * 10) : Math.floor(r() * 200);
    if (a !== b) edges.push({ from: `h${a}`, to: `h${b}`, strength: strength(r) });
  }
  return edges;
}

type Attach = 'one-edge' | 'vouches-all' | 'one-edge-plus-outbound';

/** 1,000 identities vouching each other densely, entered only through M. */
function sybils(r: () => number, m: string, attach: Attach): Edge[] {
  const edges: Edge[] = [];
  for (let i = 0; i < 1000; i++) {
    for (let k = 0; k < 12; k++) {
      const j = Math.floor(r() * 1000);
      if (j !== i) edges.push({ from: `s${i}`, to: `s${j}`, strength: 3 });
    }
    if (i < 20) for (let j = 0; j < 20; j++) if (j !== i) edges.push({ from: `s${i}`, to: `s${j}`, strength: 3 }); // a full clique core
    if (attach === 'vouches-all') edges.push({ from: m, to: `s${i}`, strength: 3 });
    if (attach === 'one-edge-plus-outbound' && i % 10 === 0) edges.push({ from: `s${i}`, to: `h${Math.floor(r() * 200)}`, strength: 3 });
  }
  if (attach !== 'vouches-all') edges.push({ from: m, to: 's0', strength: 3 });
  return edges;
}

describe('Sybil resistance', () => {
  const cases: [number, Attach][] = [
    [1, 'one-edge'],
    [2, 'one-edge'],
    [3, 'vouches-all'],
    [4, 'vouches-all'],
    [5, 'one-edge-plus-outbound'],
    [6, 'one-edge-plus-outbound'],
  ];
  for (const [seed, attach] of cases) {
    it(`Scenario: a Sybil cluster of 1,000 attached through one member gets at most that member's pass-on bound (seed ${seed}, ${attach})`, () => {
      const r = rng(seed);
      const h = honest(r);
      const plain = computeScores(buildGraph(h), 'h0');
      const candidates = [...plain.scores.keys()].filter((id) => id !== 'h0').sort();
      const m = candidates[Math.floor(r() * candidates.length)];
      const s = computeScores(buildGraph([...h, ...sybils(r, m, attach)]), 'h0');
      const sm = s.score(m);
      expect(sm).toBeGreaterThan(0);
      let total = 0;
      let max = 0;
      for (let i = 0; i < 1000; i++) {
        const x = s.score(`s${i}`);
        max = Math.max(max, x);
        total += x;
      }
      expect(max).toBeLessThanOrEqual(decay * sm + 1e-12);
      expect(total).toBeLessThanOrEqual(capacity * sm + 1e-9);
      expect(total).toBeGreaterThan(0); // the bound limits the cluster; it does not cut it off
      // The cluster cannot lift the member it hides behind, whatever it vouches.
      expect(s.score(m)).toBeLessThanOrEqual(plain.score(m) + 1e-12);
    });
  }

  it("Scenario: a Sybil cluster behind one member does not crowd out that member's siblings", () => {
    const base: Edge[] = [{ from: 'v', to: 'd', strength: 3 }, ...['m', 'h1', 'h2', 'h3'].map((x) => ({ from: 'd', to: x, strength: 3 }) as Edge)];
    const before = computeScores(buildGraph(base), 'v');
    const after = computeScores(buildGraph([...base, ...sybils(rng(9), 'm', 'vouches-all')]), 'v');
    for (const x of ['d', 'm', 'h1', 'h2', 'h3']) expect(after.score(x)).toBeCloseTo(before.score(x), 12);
    let total = 0;
    for (let i = 0; i < 1000; i++) total += after.score(`s${i}`);
    expect(total).toBeLessThanOrEqual(capacity * after.score('m') + 1e-9);
  });
});
