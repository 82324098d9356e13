import type { Vouch } from '../model/types.ts';
import { cmp } from './vouch.ts';

/**
 * The vouch graph in compressed sparse rows. Nodes are numbered in ascending agent-id order and each
 * node's edges in ascending target order, so every computation over it is independent of the order in
 * which vouches were found.
 */
export interface TrustGraph {
  readonly ids: readonly string[];
  readonly index: ReadonlyMap<string, number>;
  /** Out-edges of node i are targets[offsets[i] .. offsets[i+1]). */
  readonly offsets: Int32Array;
  readonly targets: Int32Array;
  /** 1..3, the strongest valid vouch from i to that target. */
  readonly strengths: Uint8Array;
  /** In-edges of node i: sources inSources[inOffsets[i] .. inOffsets[i+1]), ascending; inEdges maps to the out-edge index. */
  readonly inOffsets: Int32Array;
  readonly inSources: Int32Array;
  readonly inEdges: Int32Array;
}

/** Build from already-validated vouches (see collectVouches); parallel vouches keep the strongest. */
export function buildGraph(vouches: readonly Pick<Vouch, 'from' | 'to' | 'strength'>[]): TrustGraph {
  const names = new Set<string>();
  for (const v of vouches) names.add(v.from).add(v.to);
  const ids = [...names].sort(cmp);
  const index = new Map(ids.map((id, i) => [id, i] as const));
  const n = ids.length;
  // key = (from·n + to)·4 + strength: one numeric sort orders edges and puts the strongest parallel one last.
  const keys = new Float64Array(vouches.length);
  vouches.forEach((v, i) => {
    keys[i] = ((index.get(v.from) as number) * n + (index.get(v.to) as number)) * 4 + v.strength;
  });
  keys.sort();
  const offsets = new Int32Array(n + 1);
  const tmpTargets: number[] = [];
  const tmpStrengths: number[] = [];
  for (let i = 0; i < keys.length; i++) {
    const pair = Math.floor(keys[i] / 4);
    if (i + 1 < keys.length && Math.floor(keys[i + 1] / 4) === pair) continue; // a stronger duplicate follows
    offsets[Math.floor(pair / n) + 1]++;
    tmpTargets.push(pair % n);
    tmpStrengths.push(keys[i] - pair * 4);
  }
  for (let i = 0; i < n; i++) offsets[i + 1] += offsets[i];
  const targets = Int32Array.from(tmpTargets);
  const strengths = Uint8Array.from(tmpStrengths);
  return { ids, index, offsets, targets, strengths, ...reverse(n, offsets, targets) };
}

function reverse(n: number, offsets: Int32Array, targets: Int32Array) {
  const inOffsets = new Int32Array(n + 1);
  for (let e = 0; e < targets.length; e++) inOffsets[targets[e] + 1]++;
  for (let i = 0; i < n; i++) inOffsets[i + 1] += inOffsets[i];
  const fill = inOffsets.slice(0, n);
  const inSources = new Int32Array(targets.length);
  const inEdges = new Int32Array(targets.length);
  // Sources are visited in ascending order, so each in-list comes out sorted.
  for (let u = 0; u < n; u++) {
    for (let e = offsets[u]; e < offsets[u + 1]; e++) {
      const slot = fill[targets[e]]++;
      inSources[slot] = u;
      inEdges[slot] = e;
    }
  }
  return { inOffsets, inSources, inEdges };
}

export function edgeStrength(g: TrustGraph, from: number, to: number): number {
  for (let e = g.offsets[from]; e < g.offsets[from + 1]; e++) if (g.targets[e] === to) return g.strengths[e];
  return 0;
}

/** Breadth-first hop counts from `source`, -1 beyond `maxHops` or unreachable. */
export function hopCounts(g: TrustGraph, source: number, maxHops: number): Int32Array {
  const dist = new Int32Array(g.ids.length).fill(-1);
  if (source < 0) return dist;
  dist[source] = 0;
  const queue = new Int32Array(g.ids.length);
  let head = 0;
  let tail = 0;
  queue[tail++] = source;
  while (head < tail) {
    const u = queue[head++];
    if (dist[u] >= maxHops) continue;
    for (let e = g.offsets[u]; e < g.offsets[u + 1]; e++) {
      const v = g.targets[e];
      if (dist[v] < 0) {
        dist[v] = dist[u] + 1;
        queue[tail++] = v;
      }
    }
  }
  return dist;
}
