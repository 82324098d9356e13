import type { TrustGraph } from './graph.ts';

export interface Dominators {
  /** Immediate dominator of each reachable node; idom[src] = src; -1 when unreachable. */
  idom: Int32Array;
  /** Reachable nodes in reverse postorder: every node comes after its immediate dominator. */
  rpo: Int32Array;
}

/**
 * Dominator tree of the vouch graph from the viewer (Cooper, Harvey & Kennedy, "A Simple, Fast Dominance
 * Algorithm"). M dominates v when every chain from the viewer to v passes through M: exactly the members
 * "attached to the rest only through M".
 */
export function dominators(g: TrustGraph, src: number, eligible: (v: number) => boolean): Dominators {
  const n = g.ids.length;
  const idom = new Int32Array(n).fill(-1);
  if (src < 0) return { idom, rpo: new Int32Array(0) };
  const post = postorder(g, src, eligible);
  const num = new Int32Array(n).fill(-1);
  post.forEach((v, i) => (num[v] = i));
  const rpo = post.slice().reverse();
  idom[src] = src;
  const intersect = (a: number, b: number): number => {
    while (a !== b) {
      while (num[a] < num[b]) a = idom[a];
      while (num[b] < num[a]) b = idom[b];
    }
    return a;
  };
  for (let changed = true; changed; ) {
    changed = false;
    for (const v of rpo) {
      if (v === src) continue;
      let d = -1;
      for (let i = g.inOffsets[v]; i < g.inOffsets[v + 1]; i++) {
        const p = g.inSources[i];
        if (num[p] < 0 || idom[p] < 0) continue;
        d = d < 0 ? p : intersect(p, d);
      }
      if (idom[v] !== d) {
        idom[v] = d;
        changed = true;
      }
    }
  }
  return { idom, rpo };
}

function postorder(g: TrustGraph, src: number, eligible: (v: number) => boolean): Int32Array {
  const n = g.ids.length;
  const seen = new Uint8Array(n);
  const next = new Int32Array(n);
  const out: number[] = [];
  const stack = [src];
  seen[src] = 1;
  next[src] = g.offsets[src];
  while (stack.length > 0) {
    const u = stack[stack.length - 1];
    if (next[u] < g.offsets[u + 1]) {
      const v = g.targets[next[u]++];
      if (seen[v] || !eligible(v)) continue;
      seen[v] = 1;
      next[v] = g.offsets[v];
      stack.push(v);
    } else {
      out.push(u);
      stack.pop();
    }
  }
  return Int32Array.from(out);
}
