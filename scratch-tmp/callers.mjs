// Which call chains lead to a function (by name) in a .cpuprofile, with time.
import fs from 'node:fs';
const p = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const target = process.argv[3]; const depth = Number(process.argv[4] ?? 8);
const nodes = new Map(p.nodes.map((x) => [x.id, x]));
const parent = new Map(); for (const x of p.nodes) for (const c of x.children ?? []) parent.set(c, x.id);
const chains = new Map();
p.samples.forEach((id, i) => { const chain = []; for (let at = id; at !== undefined; at = parent.get(at)) chain.push(nodes.get(at).callFrame.functionName || '(anon)'); const idx = chain.indexOf(target); if (idx < 0) return; const k = chain.slice(idx, idx + depth).join(' < '); chains.set(k, (chains.get(k) ?? 0) + (p.timeDeltas[i] ?? 0) / 1000); });
for (const [k, v] of [...chains].sort((a, b) => b[1] - a[1]).slice(0, 12)) console.log(v.toFixed(0).padStart(6), k);
