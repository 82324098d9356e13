import { dominators, type Dominators } from './dominators.ts';
import { hopCounts, type TrustGraph } from './graph.ts';
import { avoidingTarget, hopFactor, strongestPaths, type StrongestPaths } from './paths.ts';
import { cmp } from './vouch.ts';

/** Parameters of the score; see openspec/specs/web-of-trust/spec.md for the formula. */
export interface TrustParams {
  /** Trust kept per hop by a full-strength (3) vouch. */
  decay: number;
  /** Members farther than this many hops from the viewer score 0. */
  maxHops: number;
  /** A member M (not the viewer) can pass on at most capacity × score(M) in total to the members it dominates. */
  capacity: number;
}

export const DEFAULT_TRUST_PARAMS: Readonly<TrustParams> = Object.freeze({ decay: 0.8, maxHops: 10, capacity: 8 });

/** What held a score below its raw path value: nothing, the bridge (dominator) cap, or a capacity. */
export type ScoreLimit = 'none' | 'bridge' | 'capacity';

export interface ScoreDetail {
  score: number;
  /** Fewest hops from the viewer (within maxHops), null when out of reach. */
  hops: number | null;
  /** The nearest member every chain from the viewer passes through (immediate dominator); null when that is the viewer. */
  bridge: string | null;
  limit: ScoreLimit;
  /** The vouches for this member that counted, strongest contribution first. */
  vouchers: VoucherContribution[];
}

export interface TrustScores {
  readonly viewer: string;
  readonly params: Readonly<TrustParams>;
  /** Every member with a positive score, the viewer included (score 1). */
  readonly scores: ReadonlyMap<string, number>;
  score(agentId: string): number;
  detail(agentId: string): ScoreDetail;
}

const LIMITS: ScoreLimit[] = ['none', 'bridge', 'capacity'];

export interface VoucherContribution {
  from: string;
  strength: number;
  /** decay × strength/3 × the strongest chain to `from` that avoids the subject. */
  contribution: number;
}

interface Computed {
  src: number;
  dist: Int32Array;
  sp: StrongestPaths;
  q: Float64Array;
  dom: Dominators;
  raw: Float64Array;
  score: Float64Array;
  limit: Uint8Array;
}

/**
 * Personal trust scores of every member as seen from `viewer` (formula in the web-of-trust spec):
 * noisy-OR over each member's vouchers of decay·strength/3·P₋ᵥ(voucher), capped at decay·score(idom)
 * for members behind a bridge, then scaled so no member's dominated set exceeds its capacity.
 */
export function computeScores(g: TrustGraph, viewer: string, params: Readonly<TrustParams> = DEFAULT_TRUST_PARAMS): TrustScores {
  const src = g.index.get(viewer) ?? -1;
  const dist = hopCounts(g, src, params.maxHops);
  const eligible = (v: number) => dist[v] >= 0;
  const sp = strongestPaths(g, src, eligible, params.decay);
  const q = avoidingTarget(g, sp, src, params.decay);
  const dom = dominators(g, src, eligible);
  const raw = rawScores(g, src, q, dom, params.decay);
  const c: Computed = { src, dist, sp, q, dom, raw, score: new Float64Array(g.ids.length), limit: new Uint8Array(g.ids.length) };
  applyCaps(c, params);
  return makeResult(g, viewer, params, c);
}

function rawScores(g: TrustGraph, src: number, q: Float64Array, dom: Dominators, decay: number): Float64Array {
  const raw = new Float64Array(g.ids.length);
  for (const v of dom.rpo) {
    if (v === src) {
      raw[v] = 1;
      continue;
    }
    let miss = 1;
    for (let i = g.inOffsets[v]; i < g.inOffsets[v + 1]; i++) {
      const e = g.inEdges[i];
      miss *= 1 - hopFactor(decay, g.strengths[e]) * q[e];
    }
    raw[v] = 1 - miss;
  }
  return raw;
}

/** Bridge cap top-down, then capacities: see capacityFactors. */
function applyCaps(c: Computed, params: Readonly<TrustParams>): void {
  const { idom, rpo } = c.dom;
  const s = c.score;
  for (const v of rpo) {
    const d = idom[v];
    s[v] = v === c.src || d === c.src ? c.raw[v] : Math.min(c.raw[v], params.decay * s[d]);
    if (s[v] < c.raw[v]) c.limit[v] = 1;
  }
  const { alpha, beta } = capacityFactors(c, params.capacity);
  const below = new Float64Array(s.length).fill(1); // product of β over a node and its dominators
  for (const v of rpo) {
    if (v === c.src) continue;
    const d = idom[v];
    const f = alpha[v] * below[d];
    below[v] = beta[v] * below[d];
    if (f < 1) {
      s[v] *= f;
      c.limit[v] = 2;
    }
  }
}

/**
 * Each member M (not the viewer) may pass on capacity × s(M) in total to the members it dominates.
 * M's budget goes first to its dominator children's own scores, then to what lies beyond them, each
 * stage shared max-min fairly; so a cluster hiding behind one child cannot crowd out its siblings'
 * own scores. α scales a member, β everything it dominates (β ≤ α keeps its own bound intact).
 */
function capacityFactors(c: Computed, capacity: number): { alpha: Float64Array; beta: Float64Array } {
  const { idom, rpo } = c.dom;
  const n = c.score.length;
  const alpha = new Float64Array(n).fill(1);
  const beta = new Float64Array(n).fill(1);
  const inner = new Float64Array(n);
  const children: number[][] = Array.from({ length: n }, () => []);
  for (const v of rpo) if (v !== c.src) children[idom[v]].push(v);
  for (let i = rpo.length - 1; i >= 0; i--) {
    const x = rpo[i];
    const kids = children[x];
    if (kids.length === 0) continue;
    if (x !== c.src) {
      const budget = capacity * c.score[x];
      const own = waterfill(budget, kids.map((k) => c.score[k]));
      const rest = waterfill(Math.max(0, budget - own.reduce((a, b) => a + b, 0)), kids.map((k) => inner[k]));
      kids.forEach((k, j) => {
        alpha[k] = c.score[k] > 0 ? own[j] / c.score[k] : 1;
        beta[k] = Math.min(alpha[k], inner[k] > 0 ? rest[j] / inner[k] : 1);
      });
    }
    for (const k of kids) inner[x] += alpha[k] * c.score[k] + beta[k] * inner[k];
  }
  return { alpha, beta };
}

/** Max-min fair split of `budget` over `demands`: small demands in full, the rest an equal share. */
export function waterfill(budget: number, demands: number[]): number[] {
  const total = demands.reduce((a, b) => a + b, 0);
  if (total <= budget) return demands.slice();
  const order = demands.map((_, i) => i).sort((a, b) => demands[a] - demands[b] || a - b);
  const out = new Array<number>(demands.length);
  let left = budget;
  order.forEach((i, j) => {
    const share = left / (order.length - j);
    out[i] = Math.min(demands[i], share);
    left -= out[i];
  });
  return out;
}

function makeResult(g: TrustGraph, viewer: string, params: Readonly<TrustParams>, c: Computed): TrustScores {
  const scores = new Map<string, number>([[viewer, 1]]);
  for (const v of c.dom.rpo) if (c.score[v] > 0) scores.set(g.ids[v], c.score[v]);
  const detail = (agentId: string): ScoreDetail => {
    const v = g.index.get(agentId);
    if (agentId === viewer) return { score: 1, hops: 0, bridge: null, limit: 'none', vouchers: [] };
    if (v === undefined || c.dist[v] < 0) return { score: 0, hops: null, bridge: null, limit: 'none', vouchers: [] };
    const d = c.dom.idom[v];
    return {
      score: c.score[v],
      hops: c.dist[v],
      bridge: d < 0 || d === c.src ? null : g.ids[d],
      limit: LIMITS[c.limit[v]],
      vouchers: contributions(g, c, v, params.decay),
    };
  };
  return { viewer, params, scores, score: (id) => scores.get(id) ?? 0, detail };
}

function contributions(g: TrustGraph, c: Computed, v: number, decay: number): VoucherContribution[] {
  const out: VoucherContribution[] = [];
  for (let i = g.inOffsets[v]; i < g.inOffsets[v + 1]; i++) {
    const e = g.inEdges[i];
    const contribution = hopFactor(decay, g.strengths[e]) * c.q[e];
    if (contribution > 0) out.push({ from: g.ids[g.inSources[i]], strength: g.strengths[e], contribution });
  }
  return out.sort((a, b) => b.contribution - a.contribution || cmp(a.from, b.from));
}

/**
 * How the community sees `subject`: the best score any of `anchors` (e.g. the community's founders or
 * stewards) gives them. For showing a member their own standing; enforcement uses the reader's own scores.
 */
export function standing(g: TrustGraph, subject: string, anchors: readonly string[], params: Readonly<TrustParams> = DEFAULT_TRUST_PARAMS): number {
  let best = 0;
  for (const a of anchors) best = Math.max(best, computeScores(g, a, params).score(subject));
  return best;
}
