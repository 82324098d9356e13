import * as A from '@automerge/automerge';
import { opsInChunks } from '../src/core/sync/automerge-op-count.ts';
const rnd = () => Math.random().toString(36).slice(2);
let doc = A.from({ intents: {} as Record<string, unknown> });
doc = A.change(doc, (d) => { for (let i = 0; i < 10000; i++) d.intents[`id${i}`] = { type: 'intent', id: `id${i}`, kind: 'offer', name: new A.ImmutableString(`Bench offer ${i} ${rnd()}`), note: new A.ImmutableString(rnd() + rnd() + rnd()), author: new A.ImmutableString('x'.repeat(43)), sig: new A.ImmutableString(rnd() + rnd() + rnd() + rnd() + rnd()), created: Date.now(), updated: Date.now(), status: 'open', resourceConformsTo: 'tools', atLocation: 'north' } as never; });
const saved = A.save(doc);
console.log('saved bytes', saved.byteLength);
for (let i = 0; i < 4; i++) { const t = performance.now(); const n = opsInChunks(saved); console.log('opsInChunks', n, (performance.now() - t).toFixed(1), 'ms'); }
