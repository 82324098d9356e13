import { communityVouches } from '../../../bench/trust.ts';
import { buildGraph, hopCounts } from '../../../src/core/trust/graph.ts';
import { strongestPaths, avoidingTarget } from '../../../src/core/trust/paths.ts';
import { dominators } from '../../../src/core/trust/dominators.ts';
for (const [p, e] of [[2000, 20000], [10000, 50000]]) {
  const { viewer, vouches } = communityVouches(p, e, 42);
  const g = buildGraph(vouches);
  const src = g.index.get(viewer)!;
  for (let k = 0; k < 8; k++) {
    let t = performance.now();
    const dist = hopCounts(g, src, 10); const el = (v: number) => dist[v] >= 0;
    const t1 = performance.now();
    const sp = strongestPaths(g, src, el, 0.8);
    const t2 = performance.now();
    const q = avoidingTarget(g, sp, src, 0.8);
    const t3 = performance.now();
    dominators(g, src, el);
    const t4 = performance.now();
    let depth = 0; for (let v = 0; v < g.ids.length; v++) { let d = 0; for (let x = v; sp.parent[x] >= 0; x = sp.parent[x]) d++; depth += d; }
    console.log(p, (t1-t).toFixed(1), (t2-t1).toFixed(1), (t3-t2).toFixed(1), (t4-t3).toFixed(1), 'avg depth', (depth/g.ids.length).toFixed(2));
  }
}
{
  const { viewer, vouches } = communityVouches(10000, 50000, 42);
  const g = buildGraph(vouches); const src = g.index.get(viewer)!;
  const dist = hopCounts(g, src, 10); const sp = strongestPaths(g, src, (v) => dist[v] >= 0, 0.8);
  let vs = 0, scan = 0, subs = 0;
  for (const v of sp.order) { if (v === src) continue; let need = false;
    for (let i = g.inOffsets[v]; i < g.inOffsets[v+1]; i++) { const u = g.inSources[i]; if (sp.tin[u] > sp.tin[v] && sp.tin[u] <= sp.tout[v]) need = true; }
    if (!need) continue; vs++; subs += sp.tout[v]-sp.tin[v];
    for (let t = sp.tin[v]+1; t <= sp.tout[v]; t++) { const y = sp.order[t]; scan += g.inOffsets[y+1]-g.inOffsets[y]; } }
  console.log({ vs, subs, scan });
}
