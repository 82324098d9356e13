import './tests/unit/sync/fixtures.ts';
import * as Automerge from '@automerge/automerge/slim';
import { ChangeSetEmitter, applyChangeSet, memoryDocAccess, encodePayload, decodePayload } from './src/core/sync/index.ts';
import { addOffer, docId, newFeed, prng, sameDocs, saveSize } from './tests/unit/sync/fixtures.ts';
const rnd = prng(9);
const a = memoryDocAccess();
const ids = Array.from({ length: 50 }, () => docId(rnd));
let t = performance.now();
for (const id of ids) a.apply(id, () => newFeed(rnd, 'c1'));
const e = new ChangeSetEmitter(); const carried: any[] = [];
let tb = 0, te = 0;
for (let round = 0; round < 4; round++) {
  t = performance.now();
  for (const id of ids) for (let i = 0; i < 50; i++) a.apply(id, (d) => addOffer(rnd, d!, round * 1000 + i));
  tb += performance.now() - t; t = performance.now();
  carried.push(...e.emitAll(a).map(encodePayload));
  te += performance.now() - t;
}
console.log('build', tb.toFixed(0), 'emit', te.toFixed(0));
const b = memoryDocAccess();
t = performance.now();
for (const x of carried) applyChangeSet(b, decodePayload(x) as any, { accepts: () => true });
console.log('apply', (performance.now() - t).toFixed(0));
t = performance.now(); console.log(sameDocs(a, b), 'compare', (performance.now() - t).toFixed(0));
t = performance.now(); saveSize(a); console.log('save', (performance.now() - t).toFixed(0));
