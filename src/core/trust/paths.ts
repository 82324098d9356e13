import type { TrustGraph } from './graph.ts';
import { MaxHeap } from './heap.ts';

/** Trust factor of one vouch: decay × strength / 3. */
export function hopFactor(decay: number, strength: number): number {
  return (decay * strength) / 3;
}

/** Strongest single chains from the viewer: P(v) = max over paths of Π hopFactor, and the tree of them. */
export interface StrongestPaths {
  best: Float64Array;
  parent: Int32Array;
  /** Pre-order interval of each node in the tree: u is in v's subtree iff tin[v] <= tin[u] <= tout[v]. */
  tin: Int32Array;
  tout: Int32Array;
  /** Nodes by tin. */
  order: Int32Array;
}

/** Dijkstra on products (all factors < 1), over the nodes with eligible[v]. */
export function strongestPaths(g: TrustGraph, src: number, eligible: (v: number) => boolean, decay: number): StrongestPaths {
  const n = g.ids.length;
  const best = new Float64Array(n);
  const parent = new Int32Array(n).fill(-1);
  const done = new Uint8Array(n);
  const heap = new MaxHeap();
  if (src >= 0) {
    best[src] = 1;
    heap.push(1, src);
  }
  while (heap.size > 0) {
    const u = heap.pop();
    if (done[u]) continue;
    done[u] = 1;
    for (let e = g.offsets[u]; e < g.offsets[u + 1]; e++) {
      const v = g.targets[e];
      if (done[v] || !eligible(v)) continue;
      const cand = best[u] * hopFactor(decay, g.strengths[e]);
      if (cand > best[v]) {
        best[v] = cand;
        parent[v] = u;
        heap.push(cand, v);
      }
    }
  }
  return { best, parent, ...eulerTour(n, src, parent) };
}

function eulerTour(n: number, src: number, parent: Int32Array) {
  const tin = new Int32Array(n).fill(-1);
  const tout = new Int32Array(n).fill(-2);
  const order = new Int32Array(n);
  if (src < 0) return { tin, tout, order: order.subarray(0, 0) };
  const childStart = new Int32Array(n + 1);
  for (let v = 0; v < n; v++) if (parent[v] >= 0) childStart[parent[v] + 1]++;
  for (let i = 0; i < n; i++) childStart[i + 1] += childStart[i];
  const fill = childStart.slice(0, n);
  const children = new Int32Array(childStart[n]);
  for (let v = 0; v < n; v++) if (parent[v] >= 0) children[fill[parent[v]]++] = v;
  let t = 0;
  const stack = [src];
  const next = childStart.slice(0, n); // next child to visit
  tin[src] = t;
  order[t++] = src;
  while (stack.length > 0) {
    const u = stack[stack.length - 1];
    if (next[u] < childStart[u + 1]) {
      const c = children[next[u]++];
      tin[c] = t;
      order[t++] = c;
      stack.push(c);
    } else {
      tout[u] = t - 1;
      stack.pop();
    }
  }
  return { tin, tout, order: order.subarray(0, t) };
}

const inSubtree = (sp: StrongestPaths, v: number, u: number): boolean =>
  sp.tin[u] >= sp.tin[v] && sp.tin[u] <= sp.tout[v];

/**
 * For every vouch u→v, the strongest chain from the viewer to u that does not pass through v
 * (P₋ᵥ(u)), indexed by out-edge. It equals P(u) unless v lies on u's strongest chain; then the chain
 * must enter v's subtree from outside, which a Dijkstra confined to that subtree finds exactly.
 */
export function avoidingTarget(g: TrustGraph, sp: StrongestPaths, src: number, decay: number): Float64Array {
  const q = new Float64Array(g.targets.length);
  for (let u = 0; u < g.ids.length; u++) {
    for (let e = g.offsets[u]; e < g.offsets[u + 1]; e++) q[e] = sp.best[u];
  }
  const sc: Scratch = {
    value: new Float64Array(g.ids.length),
    stamp: new Int32Array(g.ids.length),
    settled: new Int32Array(g.ids.length),
    wanted: new Int32Array(g.ids.length),
    round: 0,
    heap: new MaxHeap(),
  };
  const needed: number[] = [];
  for (const v of sp.order) {
    if (v === src) continue;
    needed.length = 0;
    for (let i = g.inOffsets[v]; i < g.inOffsets[v + 1]; i++) {
      const u = g.inSources[i];
      if (u !== v && sp.best[u] > 0 && inSubtree(sp, v, u)) needed.push(i);
    }
    if (needed.length > 0) replaceWithin(g, sp, v, needed, decay, q, sc);
  }
  return q;
}

interface Scratch {
  value: Float64Array;
  /** value[x] is valid in this round iff stamp[x] === round; likewise settled and wanted. */
  stamp: Int32Array;
  settled: Int32Array;
  wanted: Int32Array;
  round: number;
  heap: MaxHeap;
}

function offer(sc: Scratch, x: number, val: number): void {
  if (sc.stamp[x] === sc.round && val <= sc.value[x]) return;
  sc.stamp[x] = sc.round;
  sc.value[x] = val;
  sc.heap.push(val, x);
}

function replaceWithin(g: TrustGraph, sp: StrongestPaths, v: number, needed: number[], decay: number, q: Float64Array, sc: Scratch): void {
  const round = ++sc.round;
  sc.heap.clear();
  let remaining = 0;
  for (const i of needed) {
    const u = g.inSources[i];
    if (sc.wanted[u] !== round) remaining++;
    sc.wanted[u] = round;
  }
  const lo = sp.tin[v];
  const hi = sp.tout[v];
  for (let t = lo + 1; t <= hi; t++) {
    const y = sp.order[t];
    for (let i = g.inOffsets[y]; i < g.inOffsets[y + 1]; i++) {
      const x = g.inSources[i];
      const tx = sp.tin[x];
      if (sp.best[x] > 0 && (tx < lo || tx > hi)) offer(sc, y, sp.best[x] * hopFactor(decay, g.strengths[g.inEdges[i]]));
    }
  }
  while (sc.heap.size > 0 && remaining > 0) {
    const y = sc.heap.pop();
    if (sc.settled[y] === round) continue;
    sc.settled[y] = round;
    if (sc.wanted[y] === round) remaining--;
    const val = sc.value[y];
    for (let e = g.offsets[y]; e < g.offsets[y + 1]; e++) {
      const z = g.targets[e];
      const tz = sp.tin[z];
      if (z !== v && sc.settled[z] !== round && tz > lo && tz <= hi) offer(sc, z, val * hopFactor(decay, g.strengths[e]));
    }
  }
  for (const i of needed) {
    const u = g.inSources[i];
    q[g.inEdges[i]] = sc.settled[u] === round ? sc.value[u] : 0;
  }
}
