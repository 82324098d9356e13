import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as Automerge from '@automerge/automerge/slim';
import { ChangeSetEmitter, applyChangeSet, applyChangeSets, holdsHeads, memoryDocAccess } from '../../../src/core/sync/index.ts';
import type { AnyDoc, ChangeSetPayload, DocAccess, SetOutcome } from '../../../src/core/sync/index.ts';
import { addOffer, docId, newFeed, prng, sameDoc } from './fixtures.ts';

// openspec/changes/dtn-structure — one change-set apply path in core/sync, one "already held" check.

const acceptAll = { accepts: () => true };

interface History {
  id: string;
  sets: ChangeSetPayload[];
  final: AnyDoc;
}

/**
 * A feed edited in rounds, a change-set emitted after each; every third round also merges a branch
 * another device edited concurrently, so some sets carry several heads.
 */
function history(seed: number, rounds: number): History {
  const rnd = prng(seed);
  const src = memoryDocAccess();
  const id = docId(rnd);
  const e = new ChangeSetEmitter();
  src.apply(id, () => addOffer(rnd, newFeed(rnd, 'c1'), 0));
  const sets = [...e.emitAll(src)];
  for (let i = 1; i < rounds; i++) {
    if (i % 3 === 0) {
      const branch = addOffer(rnd, Automerge.clone(src.get(id)!), 1000 + i);
      src.apply(id, (d) => Automerge.merge(addOffer(rnd, d!, i), branch));
    } else {
      src.apply(id, (d) => addOffer(rnd, d!, i));
    }
    sets.push(...e.emitAll(src));
  }
  return { id, sets, final: src.get(id)! };
}

const HISTORIES = [history(11, 7), history(12, 9)];

/** Held as Automerge itself says: the reference every path's "duplicate" must agree with. */
const heldBy = (access: DocAccess, id: string, p: ChangeSetPayload): boolean => {
  const doc = access.get(id);
  return doc !== undefined && Automerge.hasHeads(doc, [...p.heads]);
};

/** A delivery: every set at least once, in any order, some more than once. */
const delivery = (n: number) =>
  fc
    .tuple(fc.shuffledSubarray([...Array(n).keys()], { minLength: n, maxLength: n }), fc.array(fc.nat(n - 1), { maxLength: 2 * n }), fc.array(fc.nat(n * 3), { maxLength: 3 * n }))
    .map(([all, repeats, slots]) => {
      const order = [...all];
      repeats.forEach((r, i) => order.splice(slots[i] ?? 0, 0, r));
      return order;
    });

function chunks<T>(xs: T[], sizes: number[]): T[][] {
  const out: T[][] = [];
  let i = 0;
  for (let k = 0; i < xs.length; k++) {
    const size = Math.max(1, sizes[k % Math.max(1, sizes.length)] ?? 1);
    out.push(xs.slice(i, i + size));
    i += size;
  }
  return out;
}

describe('one change-set apply path (core/sync)', () => {
  it('Scenario: change-sets applied in any order, duplicated, one by one or in batches converge and report "already held" identically', () => {
    fc.assert(
      fc.property(
        fc.nat(HISTORIES.length - 1).chain((h) => fc.tuple(fc.constant(h), delivery(HISTORIES[h].sets.length), fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 8 }))),
        ([h, order, sizes]) => {
          const { id, sets, final } = HISTORIES[h];
          const seq = order.map((i) => sets[i]);
          const single = memoryDocAccess();
          for (const p of seq) {
            const held = heldBy(single, id, p);
            const r = applyChangeSet(single, p, acceptAll);
            expect(r.status === 'duplicate').toBe(held);
            expect(r.status === 'applied').toBe(!held && heldBy(single, id, p));
            expect(r.status === 'pending').toBe(!heldBy(single, id, p));
          }
          const batched = memoryDocAccess();
          for (const batch of chunks(seq, sizes)) {
            const before = batch.map((p) => heldBy(batched, id, p));
            const outcomes: SetOutcome[] = applyChangeSets(batched, id, batch, acceptAll);
            expect(outcomes.map((o) => o.p)).toHaveLength(batch.length);
            for (const o of outcomes) {
              const i = batch.indexOf(o.p);
              expect(o.status === 'duplicate').toBe(before[i]);
              expect(o.status === 'applied').toBe(!before[i] && heldBy(batched, id, o.p));
              expect(o.status === 'pending').toBe(!heldBy(batched, id, o.p));
            }
          }
          expect(sameDoc(single.get(id), final)).toBe(true);
          expect(sameDoc(batched.get(id), final)).toBe(true);
          // Once everything is in, every set is a duplicate on both paths, and holdsHeads agrees.
          for (const p of sets) {
            expect(holdsHeads(batched.get(id)!, p.heads)).toBe(true);
            expect(applyChangeSet(single, p, acceptAll).status).toBe('duplicate');
          }
          expect(applyChangeSets(batched, id, sets, acceptAll).every((o) => o.status === 'duplicate')).toBe(true);
        },
      ),
      { numRuns: 30 },
    );
  });

  it('Scenario: a held change-set is a duplicate even while an unrelated one waits for its dependencies', () => {
    const { id, sets } = HISTORIES[1];
    const access = memoryDocAccess();
    expect(applyChangeSet(access, sets[0], acceptAll).status).toBe('applied');
    expect(applyChangeSet(access, sets[2], acceptAll).status).toBe('pending'); // waits for sets[1]
    const doc = access.get(id)!;
    // Automerge's own lookup of missing deps names the queued set's dependency here, held or not.
    expect(Automerge.getMissingDeps(doc, [...sets[0].heads]).length).toBeGreaterThan(0);
    expect(holdsHeads(doc, sets[0].heads)).toBe(true);
    expect(applyChangeSet(access, sets[0], acceptAll).status).toBe('duplicate');
    expect(applyChangeSets(access, id, [sets[0]], acceptAll).map((o) => o.status)).toEqual(['duplicate']);
    expect(applyChangeSets(access, id, [sets[1]], acceptAll).map((o) => o.status)).toEqual(['applied']);
    expect(holdsHeads(access.get(id)!, sets[2].heads)).toBe(true);
  });

  it('Scenario: in a batch, a set that breaks the load does not cost the others', () => {
    const { id, sets, final } = HISTORIES[0];
    const access = memoryDocAccess();
    const broken: ChangeSetPayload = { ...sets[1], data: sets[1].data.slice(0, 20) };
    const outcomes = applyChangeSets(access, id, [...sets.slice(0, 1), broken, ...sets.slice(1)], acceptAll);
    expect(outcomes.find((o) => o.p === broken)?.status).toBe('bad');
    expect(outcomes.filter((o) => o.p !== broken).every((o) => o.status === 'applied')).toBe(true);
    expect(sameDoc(access.get(id), final)).toBe(true);
  });

  it('Scenario: a batch refuses what the policies refuse and applies nothing of it', () => {
    const { id, sets } = HISTORIES[0];
    const access = memoryDocAccess();
    expect(applyChangeSets(access, id, sets).map((o) => o.status)).toEqual(sets.map(() => 'refused'));
    expect(access.get(id)).toBeUndefined();
    const signedBy = new Set([sets[0]]);
    const outcomes = applyChangeSets(access, id, sets.slice(0, 2), { ...acceptAll, mayApply: (_doc, p) => signedBy.has(p) });
    expect(outcomes.map((o) => o.status)).toEqual(['applied', 'refused']);
    expect(holdsHeads(access.get(id)!, sets[1].heads)).toBe(false);
  });
});
