import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_OPS_AT_ONCE } from '../../../src/core/sync/automerge-op-count.ts';
import { Arrivals, type Arrival } from '../../../relay/dtn/arrivals.ts';
import type { ChangeSetPayload } from '../../../src/core/sync/index.ts';

// openspec/specs/island-sync/spec.md — change-sets of one doc are loaded at most MAX_OPS_AT_ONCE at a time

const arrival = (doc: string, ops: number, n: number): Arrival => ({ p: { t: 'changes', doc, community: 'c', heads: [String(n)], deps: [], data: new Uint8Array() } satisfies ChangeSetPayload, from: null, ops });

describe('change-sets waiting to be applied', () => {
  it('Scenario: every set comes out once, in order per doc, in batches of at most the op limit unless one set is alone (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom('a', 'b', 'c'), fc.integer({ min: 0, max: MAX_OPS_AT_ONCE })), { maxLength: 60 }), (sets) => {
        const q = new Arrivals();
        sets.forEach(([doc, ops], i) => q.add(arrival(doc, ops, i)));
        expect(q.count()).toBe(sets.length);
        const out = new Map<string, number[]>();
        for (let next = q.nextBatch(); next; next = q.nextBatch()) {
          const total = next.batch.reduce((n, a) => n + a.ops, 0);
          if (next.batch.length > 1) expect(total).toBeLessThanOrEqual(MAX_OPS_AT_ONCE);
          for (const a of next.batch) {
            expect(a.p.doc).toBe(next.doc);
            out.set(next.doc, [...(out.get(next.doc) ?? []), Number(a.p.heads[0])]);
          }
        }
        expect(q.docs).toBe(0);
        for (const doc of ['a', 'b', 'c']) expect(out.get(doc) ?? []).toEqual(sets.flatMap(([d], i) => (d === doc ? [i] : [])));
      }),
    );
  });
});
