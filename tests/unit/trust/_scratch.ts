import fc from 'fast-check';
import { buildGraph } from '../../../src/core/trust/graph.ts';
import { computeScores } from '../../../src/core/trust/score.ts';
const N = Number(process.env.N ?? 8);
const ids = Array.from({length:N},(_, i)=>'n'+i);
const edge = fc.record({from: fc.nat(N-1), to: fc.nat(N-1), strength: fc.constantFrom(1,2,3)});
let fails = 0, runs=0, targetFails=0;
fc.assert(fc.property(fc.array(edge,{maxLength:Number(process.env.E ?? 25)}), edge, (es, extra) => {
  const vs = es.filter(e=>e.from!==e.to).map(e=>({from:ids[e.from], to:ids[e.to], strength:e.strength as 1|2|3}));
  if (extra.from===extra.to) return true;
  const a = computeScores(buildGraph(vs), 'n0');
  const voucher = ids[extra.from];
  if (a.score(voucher) < Number(process.env.T ?? 0.7)) return true;
  runs++;
  const b = computeScores(buildGraph([...vs, {from:voucher,to:ids[extra.to],strength:extra.strength as 1|2|3}]), 'n0');
  let bad = false;
  for (const id of ids) if (b.score(id) < a.score(id) - 1e-12) { bad = true; if (id===ids[extra.to]) targetFails++; }
  if (bad) { fails++; if (fails<3) console.log(JSON.stringify({vs, extra, a:[...a.scores], b:[...b.scores]})); }
  return true;
}), {numRuns: 20000, seed: 1});
console.log({runs, fails, targetFails});
