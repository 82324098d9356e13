import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildGraph, computeScores, DEFAULT_TRUST_PARAMS, standing, waterfill, type TrustParams } from '../../../src/core/trust/index.ts';
import { chain, rng, type Edge } from './helpers.ts';

const scoresOf = (edges: Edge[], viewer = 'v', params?: TrustParams) => computeScores(buildGraph(edges), viewer, params);
const NO_CAPACITY: TrustParams = { ...DEFAULT_TRUST_PARAMS, capacity: Infinity };

describe('personal trust scores', () => {
  it('Scenario: the viewer scores 1 and a stranger 0', () => {
    const s = scoresOf([{ from: 'a', to: 'b', strength: 3 }]);
    expect(s.score('v')).toBe(1);
    expect(s.score('a')).toBe(0);
    expect(s.detail('b').hops).toBeNull();
  });

  it('Scenario: a direct vouch gives decay × strength/3', () => {
    const s = scoresOf([
      { from: 'v', to: 'a', strength: 3 },
      { from: 'v', to: 'b', strength: 2 },
      { from: 'v', to: 'c', strength: 1 },
    ]);
    expect(s.score('a')).toBeCloseTo(0.8, 12);
    expect(s.score('b')).toBeCloseTo(0.8 * (2 / 3), 12);
    expect(s.score('c')).toBeCloseTo(0.8 / 3, 12);
  });

  it('Scenario: trust decays by 0.8 per full-strength hop', () => {
    const names = ['v', ...Array.from({ length: 10 }, (_, i) => `p${i + 1}`)];
    const s = scoresOf(chain(names));
    for (let k = 1; k <= 10; k++) expect(s.score(`p${k}`)).toBeCloseTo(0.8 ** k, 12);
    for (let k = 2; k <= 10; k++) expect(s.score(`p${k}`) / s.score(`p${k - 1}`)).toBeCloseTo(0.8, 12);
  });

  it('Scenario: a chain longer than 10 hops gives 0', () => {
    const names = ['v', ...Array.from({ length: 14 }, (_, i) => `p${i + 1}`)];
    const s = scoresOf(chain(names));
    expect(s.score('p10')).toBeGreaterThan(0);
    for (let k = 11; k <= 14; k++) expect(s.score(`p${k}`)).toBe(0);
  });

  it('Scenario: independent vouchers add up but never pass 1', () => {
    const one = scoresOf([...chain(['v', 'a', 'x'])]).score('x');
    const two = scoresOf([...chain(['v', 'a', 'x']), ...chain(['v', 'b', 'x'])]).score('x');
    expect(one).toBeCloseTo(0.64, 12);
    expect(two).toBeCloseTo(1 - (1 - 0.64) ** 2, 12);
    const many: Edge[] = [];
    for (let i = 0; i < 50; i++) many.push(...chain(['v', `a${i}`, 'x']));
    const s = scoresOf(many).score('x');
    expect(s).toBeGreaterThan(two);
    expect(s).toBeLessThanOrEqual(1);
  });

  it('Scenario: mutual vouching does not echo trust back', () => {
    const s = scoresOf([
      { from: 'v', to: 'a', strength: 1 },
      { from: 'a', to: 'b', strength: 3 },
      { from: 'b', to: 'a', strength: 3 },
      { from: 'b', to: 'c', strength: 3 },
      { from: 'c', to: 'a', strength: 3 },
      { from: 'c', to: 'b', strength: 3 },
    ]);
    expect(s.score('a')).toBeCloseTo(0.8 / 3, 12);
    expect(s.score('b')).toBeCloseTo((0.8 / 3) * 0.8, 12);
  });

  it('Scenario: a second route into a member counts when it avoids that member', () => {
    // a's strongest chain to b runs through a, but c reaches b without a: b→a then counts.
    const s = scoresOf([
      { from: 'v', to: 'a', strength: 1 },
      { from: 'a', to: 'b', strength: 3 },
      { from: 'v', to: 'c', strength: 3 },
      { from: 'c', to: 'b', strength: 1 },
      { from: 'b', to: 'a', strength: 3 },
    ]);
    const pa = 0.8 / 3;
    const viaC = 0.8 * (0.8 / 3); // v→c→b avoiding a
    expect(s.score('a')).toBeCloseTo(1 - (1 - pa) * (1 - 0.8 * viaC), 12);
  });

  it('Scenario: members behind one bridge get at most decay × the bridge\'s score', () => {
    const s = scoresOf([
      { from: 'v', to: 'm', strength: 3 },
      ...['a', 'b', 'c'].flatMap((p) => [
        { from: 'm', to: p, strength: 3 } as Edge,
        { from: p, to: 'x', strength: 3 } as Edge,
      ]),
    ]);
    // Three chains, but all through m: raw 1 − (1 − 0.512)³ ≈ 0.88 is capped at decay × score(m).
    expect(s.score('x')).toBeCloseTo(0.8 * s.score('m'), 12);
    const d = s.detail('x');
    expect(d.bridge).toBe('m');
    expect(d.limit).toBe('bridge');
  });

  it('Scenario: one member\'s capacity is shared by everyone only they vouch for', () => {
    const edges: Edge[] = [{ from: 'v', to: 'm', strength: 3 }];
    for (let i = 0; i < 30; i++) edges.push({ from: 'm', to: `n${i}`, strength: 3 });
    const s = scoresOf(edges);
    let total = 0;
    for (let i = 0; i < 30; i++) total += s.score(`n${i}`);
    expect(total).toBeCloseTo(DEFAULT_TRUST_PARAMS.capacity * 0.8, 9);
    expect(s.score('n0')).toBeCloseTo((8 * 0.8) / 30, 9);
    expect(s.detail('n0').limit).toBe('capacity');
    // The viewer's own vouches are never capped.
    const direct = scoresOf(Array.from({ length: 30 }, (_, i) => ({ from: 'v', to: `n${i}`, strength: 3 }) as Edge));
    expect(direct.score('n29')).toBeCloseTo(0.8, 12);
  });

  it("Scenario: the spec's worked example", () => {
    const e = (from: string, to: string, strength: 1 | 2 | 3): Edge => ({ from, to, strength });
    const s = scoresOf([e('v', 'A', 3), e('v', 'B', 2), e('A', 'C', 3), e('B', 'C', 3), e('C', 'A', 3), e('A', 'M', 3), e('M', 'X', 3), e('M', 'Y', 3), e('X', 'Y', 3)]);
    expect(s.score('B')).toBeCloseTo(0.5333, 4);
    expect(s.score('A')).toBeCloseTo(0.8683, 4);
    expect(s.score('C')).toBeCloseTo(0.7936, 4);
    expect(s.score('M')).toBeCloseTo(0.64, 12);
    expect(s.score('X')).toBeCloseTo(0.512, 12);
    expect(s.score('Y')).toBeCloseTo(0.512, 12);
    expect(s.detail('Y')).toMatchObject({ bridge: 'M', limit: 'bridge', hops: 3 });
    expect(s.detail('A').vouchers.map((x) => [x.from, Number(x.contribution.toFixed(4))])).toEqual([['v', 0.8], ['C', 0.3413]]);
  });

  it('Scenario: capacity is shared max-min fairly', () => {
    expect(waterfill(10, [1, 2, 3])).toEqual([1, 2, 3]);
    expect(waterfill(6, [1, 5, 5])).toEqual([1, 2.5, 2.5]);
    expect(waterfill(0, [1, 2])).toEqual([0, 0]);
  });

  it('Scenario: a member sees their standing from the community anchors', () => {
    const g = buildGraph([...chain(['f1', 'a', 'me']), { from: 'f2', to: 'me', strength: 1 }]);
    expect(standing(g, 'me', ['f1', 'f2'])).toBeCloseTo(0.64, 12);
    expect(standing(g, 'me', [])).toBe(0);
  });

  it('Scenario: scores do not depend on the order vouches arrive in', () => {
    const r = rng(7);
    const edges: Edge[] = [];
    for (let i = 0; i < 400; i++) {
      const a = Math.floor(r() * 60);
      const b = Math.floor(r() * 60);
      if (a !== b) edges.push({ from: `p${a}`, to: `p${b}`, strength: (1 + Math.floor(r() * 3)) as 1 | 2 | 3 });
    }
    const a = scoresOf(edges, 'p0');
    const b = scoresOf([...edges].reverse(), 'p0');
    expect([...b.scores].sort()).toEqual([...a.scores].sort());
    for (const [id, s] of a.scores) expect(Object.is(b.score(id), s)).toBe(true);
  });
});

const N = 10;
const ids = Array.from({ length: N }, (_, i) => (i === 0 ? 'v' : `n${i}`));
const edgeArb = fc.record({ from: fc.nat(N - 1), to: fc.nat(N - 1), strength: fc.constantFrom(1, 2, 3) as fc.Arbitrary<1 | 2 | 3> });
const toEdges = (es: { from: number; to: number; strength: 1 | 2 | 3 }[]): Edge[] =>
  es.filter((e) => e.from !== e.to).map((e) => ({ from: ids[e.from], to: ids[e.to], strength: e.strength }));

describe('monotonicity (property)', () => {
  it('Scenario: scores are monotone in added vouches from trusted people', () => {
    fc.assert(
      fc.property(fc.array(edgeArb, { maxLength: 35 }), edgeArb, (es, extra) => {
        const edges = toEdges(es);
        const before = scoresOf(edges, 'v', NO_CAPACITY);
        const voucher = ids[extra.from];
        fc.pre(extra.from !== extra.to && before.score(voucher) >= 0.7);
        const after = scoresOf([...edges, { from: voucher, to: ids[extra.to], strength: extra.strength }], 'v', NO_CAPACITY);
        for (const id of ids) expect(after.score(id)).toBeGreaterThanOrEqual(before.score(id) - 1e-12);
      }),
      { numRuns: 1500, seed: 20240601 },
    );
  });

  it('Scenario: with capacities, added vouches lower no score unless a capacity is reached', () => {
    fc.assert(
      fc.property(fc.array(edgeArb, { maxLength: 35 }), edgeArb, (es, extra) => {
        const edges = toEdges(es);
        const before = scoresOf(edges, 'v');
        fc.pre(extra.from !== extra.to && before.score(ids[extra.from]) > 0);
        const after = scoresOf([...edges, { from: ids[extra.from], to: ids[extra.to], strength: extra.strength }], 'v');
        const capped = ids.some((id) => after.detail(id).limit === 'capacity');
        if (!capped) for (const id of ids) expect(after.score(id)).toBeGreaterThanOrEqual(before.score(id) - 1e-12);
        for (const id of ids) expect(after.score(id)).toBeLessThanOrEqual(1);
      }),
      { numRuns: 1500, seed: 424242 },
    );
  });

  it('Scenario: every score is within [0, 1] and 0 beyond 10 hops (property)', () => {
    fc.assert(
      fc.property(fc.array(edgeArb, { maxLength: 40 }), (es) => {
        const s = scoresOf(toEdges(es));
        for (const id of ids) {
          const x = s.score(id);
          expect(x).toBeGreaterThanOrEqual(0);
          expect(x).toBeLessThanOrEqual(1);
          if (s.detail(id).hops === null) expect(x).toBe(0);
        }
      }),
      { numRuns: 500 },
    );
  });
});
