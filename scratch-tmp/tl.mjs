// Timeline of a .cpuprofile: per 100 ms bucket, the heaviest "interesting" frames (deepest named app frame).
import fs from 'node:fs';
const p = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const step = Number(process.argv[3] ?? 100);
const nodes = new Map(p.nodes.map((x) => [x.id, x]));
const parent = new Map(); for (const x of p.nodes) for (const c of x.children ?? []) parent.set(c, x.id);
const label = (id) => { const chain = []; for (let at = id; at !== undefined; at = parent.get(at)) { const f = nodes.get(at).callFrame; chain.push(f.functionName || '(anon)'); } return chain.reverse(); };
const want = new Set((process.argv[4] ?? 'createIdentity,nacl.sign.detached,takeWholeDoc,load$1,initializeWasm,records,join,fetchFeedPreview,preview,onMessage,(program),(idle),(garbage collector),flush,check,newest,scalarmult').split(','));
let t = 0; const buckets = new Map();
p.samples.forEach((id, i) => { t += (p.timeDeltas[i] ?? 0) / 1000; const b = Math.floor(t / step); const chain = label(id); let k = chain[chain.length - 1]; for (const f of chain) if (want.has(f)) { k = f; } if (!want.has(k)) k = 'other:' + chain.slice(-1)[0]; const m = buckets.get(b) ?? new Map(); m.set(k, (m.get(k) ?? 0) + (p.timeDeltas[i] ?? 0) / 1000); buckets.set(b, m); });
for (const [b, m] of [...buckets].sort((a, c) => a[0] - c[0])) console.log(String(b * step).padStart(6), [...m].sort((a, c) => c[1] - a[1]).slice(0, 4).map(([k, v]) => `${k.slice(0, 40)}:${v.toFixed(0)}`).join('  '));
