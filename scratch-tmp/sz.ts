import * as A from '@automerge/automerge';
import { deflatedParts } from '../src/core/sync/automerge-op-count.ts';
for (const n of [2000, 8000]) {
const d = A.change(A.from({ posts: {} as Record<string, unknown> }), (x) => { for (let i = 0; i < n; i++) x.posts[`p${i}`] = { title: new A.ImmutableString(`Offer ${i * 7} of ${Math.random()}`), n: i * 7, open: i % 2 === 0 }; });
const s = A.save(d); console.log(n, s.length, deflatedParts(s).reduce((a, p) => a + p.length, 0));
}
