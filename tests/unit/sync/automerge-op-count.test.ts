import * as A from '@automerge/automerge';
import { deflateRawSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_INFLATED_BYTES, opsInChunks } from '../../../src/core/sync/automerge-op-count.ts';
import { opBomb } from '../../helpers/op-bomb.ts';

// openspec/specs/island-sync/spec.md — the relay weighs what Automerge would take in before it does

type Doc = { m: Record<string, unknown>; t: string; l: unknown[]; c: A.Counter };

/** One edit a phone could make; a run of them is a doc's history. */
const edit = fc.oneof(
  fc.record({ put: fc.string({ maxLength: 3 }), value: fc.oneof(fc.integer(), fc.string({ maxLength: 40 }), fc.boolean(), fc.constant(null), fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e9, max: 1e9 })) }),
  fc.record({ insert: fc.nat(50), text: fc.string({ maxLength: 200 }) }),
  fc.record({ remove: fc.nat(50), count: fc.nat(30) }),
  fc.record({ push: fc.oneof(fc.string({ maxLength: 10 }), fc.integer(), fc.dictionary(fc.string({ maxLength: 2 }), fc.integer(), { maxKeys: 3, noNullPrototype: true })) }),
  fc.record({ bump: fc.integer({ min: -5, max: 5 }) }),
  fc.record({ scalar: fc.string({ maxLength: 300 }) }),
);

function apply(d: Doc, e: Record<string, unknown>): void {
  if ('put' in e) d.m[e.put as string] = e.value;
  else if ('insert' in e) A.splice(d, ['t'], Math.min(e.insert as number, d.t.length), 0, e.text as string);
  else if ('remove' in e) A.splice(d, ['t'], Math.min(e.remove as number, d.t.length), e.count as number);
  else if ('push' in e) d.l.push(e.push);
  else if ('bump' in e) d.c.increment(e.bump as number);
  else d.m.sealed = new A.ImmutableString(e.scalar as string);
}

function history(changes: Array<Array<Record<string, unknown>>>): A.Doc<Doc> {
  let doc = A.from<Doc>({ m: {}, t: '', l: [], c: new A.Counter(0) });
  for (const edits of changes) doc = A.change(doc, (d) => edits.forEach((e) => apply(d, e)));
  return doc;
}

/** A change chunk as Automerge's compressed chunk kind (2): the same header fields, the body deflated. */
function compressed(change: Uint8Array): Uint8Array {
  let at = 9;
  while (change[at++]! >= 0x80);
  const body = deflateRawSync(change.subarray(at));
  return Uint8Array.from([...change.subarray(0, 8), 2, ...leb(body.length), ...body]);
}

describe('counting the ops Automerge would take in', () => {
  it('Scenario: the count of every change Automerge writes equals its own, and a saved doc or a bundle counts at least its ops (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.array(edit, { minLength: 1, maxLength: 8 }), { minLength: 1, maxLength: 6 }), (edits) => {
        const doc = history(edits);
        for (const change of A.getAllChanges(doc)) {
          const ops = A.decodeChange(change).ops.length;
          expect(opsInChunks(change)).toBe(ops);
          expect(opsInChunks(compressed(change))).toBe(ops);
        }
        const all = A.getAllChanges(doc).reduce((n, c) => n + A.decodeChange(c).ops.length, 0);
        // A whole doc (a first sync) and a bundle (a run of changes, as relays carry them) count at least as many.
        expect(opsInChunks(A.save(doc))).toBeGreaterThanOrEqual(all);
        expect(opsInChunks(A.saveBundle(doc, A.getChangesMetaSince(doc, []).map((c) => c.hash)))).toBeGreaterThanOrEqual(all);
      }),
      { numRuns: 60 },
    );
  });

  it('Scenario: a saved doc of 10,000 typed characters counts about 10,000, not each op twice', () => {
    // An honest first sync sends a whole doc: counting its ops twice would refuse feeds half the bound.
    const doc = history([[{ insert: 0, text: 'x'.repeat(10_000) }]]);
    expect(opsInChunks(A.save(doc))).toBeGreaterThanOrEqual(10_000);
    expect(opsInChunks(A.save(doc))).toBeLessThan(10_100);
  });

  it('Scenario: Automerge takes in a compressed change chunk as the change it holds', () => {
    const doc = history([[{ insert: 0, text: 'x'.repeat(400) }, { put: 'k', value: 'v' }]]);
    const [first, last] = A.getAllChanges(doc);
    const [loaded] = A.applyChanges(A.init<Doc>(), [first!, compressed(last!)]);
    expect(loaded.t).toBe('x'.repeat(400));
  });

  it('Scenario: a few hundred bytes that would cost 600,000 ops count as 600,000', () => {
    const bomb = opBomb(100_000, 6);
    const deletions = bomb.changes.slice(-6);
    // Automerge takes them all in: the bytes are honest, only their cost is out of proportion.
    const [doc] = A.applyChanges(A.init<Doc>(), bomb.changes);
    expect(A.getAllChanges(doc)).toHaveLength(bomb.changes.length);
    expect(doc.t).toBe('');
    const bytes = deletions.reduce((n, c) => n + c.length, 0);
    expect(bytes).toBeLessThan(1000);
    expect(deletions.reduce((n, c) => n + opsInChunks(c), 0)).toBe(600_000);
    expect(bomb.changes.reduce((n, c) => n + opsInChunks(c), 0)).toBe(bomb.ops);
    // The same as a whole doc, where the deletes are not rows but successors, and as a bundle.
    expect(opsInChunks(A.save(doc))).toBeGreaterThanOrEqual(bomb.ops);
    expect(opsInChunks(A.saveBundle(doc, A.getChangesMetaSince(doc, []).map((c) => c.hash)))).toBeGreaterThanOrEqual(bomb.ops);
  });

  it('Scenario: counting stops past its limit', () => {
    const { changes, ops } = opBomb(50_000, 3);
    const joined = Uint8Array.from(changes.flatMap((c) => [...c]));
    expect(opsInChunks(joined)).toBe(ops);
    expect(opsInChunks(joined, 60_000)).toBeGreaterThan(60_000);
  });

  it('Scenario: what cannot be weighed counts as too much, and nothing throws (property)', () => {
    const change = A.getLastLocalChange(history([[{ insert: 0, text: 'hello' }, { put: 'a', value: 1 }]]))!;
    // Cut short anywhere, a chunk cannot be weighed.
    for (let cut = 1; cut < change.length; cut++) expect(opsInChunks(change.subarray(0, cut))).toBe(Infinity);
    // A chunk kind this does not read, and a compressed chunk that inflates past the limit.
    expect(opsInChunks(Uint8Array.from([...change.subarray(0, 8), 4, 0]))).toBe(Infinity);
    const huge = deflateRawSync(new Uint8Array(MAX_INFLATED_BYTES + 1024));
    expect(opsInChunks(Uint8Array.from([...change.subarray(0, 8), 2, ...leb(huge.length), ...huge]))).toBe(Number.MAX_SAFE_INTEGER);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.nat(change.length), (noise, at) => {
        const spliced = Uint8Array.from([...change.subarray(0, at), ...noise, ...change.subarray(at)]);
        const n = opsInChunks(spliced);
        expect(n === Infinity || Number.isInteger(n)).toBe(true);
        expect(opsInChunks(noise)).toBe(noise.length === 0 ? 0 : Infinity);
      }),
      { numRuns: 300 },
    );
  });
});

function leb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    if (n < 128) return [...out, n];
    out.push((n % 128) | 0x80);
    n = Math.floor(n / 128);
  }
}
