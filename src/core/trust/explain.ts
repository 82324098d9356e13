import type { TrustGraph } from './graph.ts';
import { MaxHeap } from './heap.ts';
import { hopFactor } from './paths.ts';
import type { ScoreDetail, TrustScores } from './score.ts';

export interface ChainHop {
  from: string;
  to: string;
  strength: number;
}

export interface TrustChain {
  hops: ChainHop[];
  /** Π decay·strength/3 along the chain: what this chain alone would give. */
  weight: number;
}

export interface Explanation extends ScoreDetail {
  viewer: string;
  target: string;
  /** Up to k strongest vouch chains from the viewer to the target, strongest first. */
  chains: TrustChain[];
}

interface PathState {
  node: number;
  weight: number;
  hops: number;
  prev: number; // index into states, -1 at the viewer
}

/** Search effort bound: a hostile graph cannot make the people page hang. */
const MAX_EXPANSIONS = 50_000;

/** Why the viewer trusts `target` as much as they do: the score detail plus the strongest chains. */
export function explainTrust(g: TrustGraph, scores: TrustScores, target: string, k = 3): Explanation {
  const detail = scores.detail(target);
  const base = { viewer: scores.viewer, target, ...detail };
  const src = g.index.get(scores.viewer);
  const dst = g.index.get(target);
  if (src === undefined || dst === undefined || src === dst || detail.hops === null) return { ...base, chains: [] };
  return { ...base, chains: strongestChains(g, src, dst, k, scores.params.decay, scores.params.maxHops) };
}

/** Best-first enumeration of simple paths; each node is expanded at most k times (Eppstein-style bound). */
function strongestChains(g: TrustGraph, src: number, dst: number, k: number, decay: number, maxHops: number): TrustChain[] {
  const states: PathState[] = [{ node: src, weight: 1, hops: 0, prev: -1 }];
  const heap = new MaxHeap();
  const pops = new Map<number, number>();
  const found: TrustChain[] = [];
  heap.push(1, 0);
  for (let expanded = 0; heap.size > 0 && found.length < k && expanded < MAX_EXPANSIONS; expanded++) {
    const si = heap.pop();
    const s = states[si];
    const count = (pops.get(s.node) ?? 0) + 1;
    if (count > k) continue;
    pops.set(s.node, count);
    if (s.node === dst) {
      found.push(toChain(g, states, s));
      continue;
    }
    if (s.hops >= maxHops) continue;
    for (let e = g.offsets[s.node]; e < g.offsets[s.node + 1]; e++) {
      const v = g.targets[e];
      if (onPath(states, s, v)) continue;
      states.push({ node: v, weight: s.weight * hopFactor(decay, g.strengths[e]), hops: s.hops + 1, prev: si });
      heap.push(states[states.length - 1].weight, states.length - 1);
    }
  }
  return found;
}

function onPath(states: PathState[], s: PathState, v: number): boolean {
  for (let p: PathState | undefined = s; p; p = p.prev >= 0 ? states[p.prev] : undefined) if (p.node === v) return true;
  return false;
}

function toChain(g: TrustGraph, states: PathState[], end: PathState): TrustChain {
  const nodes: number[] = [];
  for (let p: PathState | undefined = end; p; p = p.prev >= 0 ? states[p.prev] : undefined) nodes.push(p.node);
  nodes.reverse();
  const hops: ChainHop[] = [];
  for (let i = 1; i < nodes.length; i++) {
    const from = nodes[i - 1];
    let strength = 0;
    for (let e = g.offsets[from]; e < g.offsets[from + 1]; e++) if (g.targets[e] === nodes[i]) strength = g.strengths[e];
    hops.push({ from: g.ids[from], to: g.ids[nodes[i]], strength });
  }
  return { hops, weight: end.weight };
}
