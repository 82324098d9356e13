import * as A from '@automerge/automerge';
import { inflateSync, Inflate } from 'fflate';
import { LebReader } from '../src/core/sync/leb-reader.ts';
const rnd = () => Math.random().toString(36).slice(2);
let doc = A.from({ intents: {} as Record<string, unknown> });
doc = A.change(doc, (d) => { for (let i = 0; i < 10000; i++) d.intents[`id${i}`] = { type: 'intent', id: `id${i}`, kind: 'offer', name: new A.ImmutableString(`Bench offer ${i} ${rnd()}`), note: new A.ImmutableString(rnd() + rnd() + rnd()), author: new A.ImmutableString('x'.repeat(43)), sig: new A.ImmutableString(rnd() + rnd() + rnd() + rnd() + rnd()), created: Date.now(), updated: Date.now(), status: 'open', resourceConformsTo: 'tools', atLocation: 'north' } as never; });
const saved = A.save(doc);
// collect deflated column slices of the doc chunk
const r = new LebReader(saved); for (let i = 0; i < 4; i++) r.byte(); r.skip(4); const type = r.byte(); const len = r.uleb();
const n = r.uleb(); for (let i = 0; i < n; i++) r.skip(r.uleb()); r.skip(32 * r.uleb());
const meta = (): Array<[number, number]> => { const c = r.uleb(); const o: Array<[number, number]> = []; for (let i = 0; i < c; i++) o.push([r.uleb(), r.uleb()]); return o; };
const m1 = meta(); const m2 = meta(); const cols: Uint8Array[] = [];
for (const [spec, l] of [...m1, ...m2]) { const d = r.take(l); if (spec & 8) cols.push(d); }
console.log('type', type, 'deflated cols', cols.length, cols.reduce((a, c) => a + c.length, 0), 'bytes');
const mode = process.argv[2];
const t = performance.now(); let out = 0;
for (const c of cols) {
  if (mode === 'sync') out += inflateSync(c).length;
  else { const step = Number(mode); const s = new Inflate((ch) => { out += ch.length; }); for (let at = 0; at < c.length || at === 0; at += step) s.push(c.subarray(at, at + step), at + step >= c.length); }
}
console.log(mode, 'inflated', out, (performance.now() - t).toFixed(1), 'ms');
