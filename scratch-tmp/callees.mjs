// Inclusive time of the functions called under a given function (by name), grouped by the next K frames down.
import fs from 'node:fs';
const p = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const target = process.argv[3]; const depth = Number(process.argv[4] ?? 2);
const nodes = new Map(p.nodes.map((x) => [x.id, x]));
const parent = new Map(); for (const x of p.nodes) for (const c of x.children ?? []) parent.set(c, x.id);
const rows = new Map();
p.samples.forEach((id, i) => { const chain = []; for (let at = id; at !== undefined; at = parent.get(at)) chain.push(nodes.get(at).callFrame.functionName || '(anon)'); chain.reverse(); const idx = chain.indexOf(target); if (idx < 0) return; const k = chain.slice(idx + 1, idx + 1 + depth).join(' > ') || '(self)'; rows.set(k, (rows.get(k) ?? 0) + (p.timeDeltas[i] ?? 0) / 1000); });
for (const [k, v] of [...rows].sort((a, b) => b[1] - a[1]).slice(0, 15)) console.log(v.toFixed(0).padStart(7), k);
