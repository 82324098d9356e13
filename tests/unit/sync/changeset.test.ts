import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as Automerge from '@automerge/automerge/slim';
import {
  ChangeSetEmitter,
  SyncPayloadError,
  applyChangeSet,
  decodePayload,
  encodePayload,
  memoryDocAccess,
} from '../../../src/core/sync/index.ts';
import type { AnyDoc, ChangeSetPayload, DocAccess } from '../../../src/core/sync/index.ts';
import { addOffer, docId, newFeed, prng, sameDoc, sameDocs, saveSize } from './fixtures.ts';

const acceptAll = { accepts: () => true };

function shuffle<T>(rnd: () => number, xs: T[]): T[] {
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** A doc store holding one doc, `id`: a new feed of community c1 with one offer. `rnd` goes on from there. */
function oneOfferDoc(seed: number): { rnd: () => number; a: DocAccess; id: string } {
  const rnd = prng(seed);
  const a = memoryDocAccess();
  const id = docId(rnd);
  a.apply(id, () => addOffer(rnd, newFeed(rnd, 'c1'), 0));
  return { rnd, a, id };
}

/** Through the codec, as a carrier would hold them. */
function carry(ps: ChangeSetPayload[]): Uint8Array[] {
  return ps.map(encodePayload);
}

function deliver(to: DocAccess, bytes: Uint8Array[]) {
  return bytes.map((b) => applyChangeSet(to, decodePayload(b) as ChangeSetPayload, acceptAll));
}

describe('carried change-sets', () => {
  it('Scenario: the emitter emits only what changed since it last emitted', () => {
    const rnd = prng(1);
    const access = memoryDocAccess();
    const id = docId(rnd);
    access.apply(id, () => addOffer(rnd, newFeed(rnd, 'c1'), 0));
    const e = new ChangeSetEmitter();
    const [first] = e.emitAll(access);
    expect(first.deps).toEqual([]);
    expect(first.community).toBe('c1');
    // A doc's first change-set is its whole history as Automerge.save(), the form a receiver loads fastest.
    expect(first.data).toEqual(Automerge.save(access.get(id)!));
    expect(e.emitAll(access)).toEqual([]);
    access.apply(id, (d) => addOffer(rnd, d!, 1));
    const [second] = e.emitAll(access);
    expect(second.deps).toEqual(first.heads);
    expect(second.heads).toEqual(Automerge.getHeads(access.get(id)!));
  });

  it('Scenario: change-sets arriving out of order wait for their dependencies', () => {
    const { rnd, a, id } = oneOfferDoc(2);
    const e = new ChangeSetEmitter();
    const [setA] = e.emitAll(a);
    a.apply(id, (d) => addOffer(rnd, d!, 1));
    const [setB] = e.emitAll(a);
    const b = memoryDocAccess();
    expect(applyChangeSet(b, setB, acceptAll)).toEqual({ status: 'pending', missing: setA.heads });
    expect(applyChangeSet(b, setA, acceptAll).status).toBe('applied');
    expect(sameDoc(a.get(id), b.get(id))).toBe(true);
    // Automerge held B's changes itself: once A's arrived, B's needed no second delivery.
    expect(applyChangeSet(b, setB, acceptAll).status).toBe('duplicate');
  });

  it('Scenario: a duplicate change-set is harmless', () => {
    const { a, id } = oneOfferDoc(3);
    const sets = carry(new ChangeSetEmitter().emitAll(a));
    const b = memoryDocAccess();
    deliver(b, sets);
    const before = b.get(id)!;
    expect(deliver(b, [...sets, ...sets]).map((r) => r.status)).toEqual(['duplicate', 'duplicate']);
    expect(b.get(id)).toBe(before);
    expect(sameDocs(a, b)).toBe(true);
  });

  it('Scenario: a carrier delivers several rounds in shuffled order and B equals A', () => {
    const rnd = prng(4);
    const a = memoryDocAccess();
    const ids = [0, 1, 2, 3, 4].map(() => docId(rnd));
    const e = new ChangeSetEmitter();
    const carried: Uint8Array[] = [];
    for (let round = 0; round < 6; round++) {
      for (const id of ids) {
        if (rnd() < 0.7) a.apply(id, (d) => addOffer(rnd, d ?? newFeed(rnd, 'c1'), round));
      }
      carried.push(...carry(e.emitAll(a)));
    }
    const b = memoryDocAccess();
    deliver(b, shuffle(rnd, carried));
    expect(sameDocs(a, b)).toBe(true);
  });

  it('Scenario: a change-set for an unknown doc is taken only if the policy accepts it', () => {
    const rnd = prng(5);
    const a = memoryDocAccess();
    a.apply(docId(rnd), () => addOffer(rnd, newFeed(rnd, 'theirs'), 0));
    const [set] = new ChangeSetEmitter().emitAll(a);
    const b = memoryDocAccess();
    expect(applyChangeSet(b, set).status).toBe('refused');
    expect(applyChangeSet(b, set, { accepts: (_id, m) => m.community === 'ours' }).status).toBe('refused');
    expect(b.ids()).toEqual([]);
    expect(applyChangeSet(b, set, { accepts: (_id, m) => m.community === 'theirs' }).status).toBe('applied');
  });

  it('Scenario: malformed change-set data is a typed error and the doc is unchanged', () => {
    const { a, id } = oneOfferDoc(6);
    const [set] = new ChangeSetEmitter().emitAll(a);
    const b = memoryDocAccess();
    applyChangeSet(b, set, acceptAll);
    const before = b.get(id)!;
    const garbage: ChangeSetPayload = { ...set, heads: ['ab'.repeat(32)], data: new Uint8Array([1, 2, 3, 4, 5, 6]) };
    expect(() => applyChangeSet(b, garbage, acceptAll)).toThrow(SyncPayloadError);
    expect(sameDoc(b.get(id), before)).toBe(true);
    const truncated: ChangeSetPayload = { ...set, data: set.data.slice(0, set.data.length - 9) };
    expect(() => applyChangeSet(memoryDocAccess(), truncated, acceptAll)).toThrow(SyncPayloadError);
    expect(() => applyChangeSet(memoryDocAccess(), garbage, acceptAll)).toThrow(SyncPayloadError);
  });

  it('Scenario: emitter state survives a restart as JSON', () => {
    const { rnd, a, id } = oneOfferDoc(7);
    const e = new ChangeSetEmitter();
    e.emitAll(a);
    const restored = new ChangeSetEmitter(JSON.parse(JSON.stringify(e.exportState())));
    expect(restored.emitAll(a)).toEqual([]);
    a.apply(id, (d) => addOffer(rnd, d!, 1));
    expect(restored.emitAll(a)).toHaveLength(1);
    for (const bad of [null, 3, { version: 2, docs: {} }, { version: 1, docs: [] }, { version: 1, docs: { x: ['zz'] } }]) {
      expect(() => new ChangeSetEmitter().importState(bad)).toThrow(SyncPayloadError);
    }
  });

  it('Scenario: changes applied from a carried set are not emitted again', () => {
    const { rnd, a, id } = oneOfferDoc(8);
    const [set] = new ChangeSetEmitter().emitAll(a);
    const b = memoryDocAccess();
    const eb = new ChangeSetEmitter();
    expect(applyChangeSet(b, set, acceptAll).status).toBe('applied');
    eb.markCarried(id, set.heads);
    expect(eb.emitAll(b)).toEqual([]);
    b.apply(id, (d) => addOffer(rnd, d!, 1));
    const [own] = eb.emitAll(b);
    expect(own.deps).toEqual(set.heads);
  });

  it('Scenario: random edits on two replicas converge under random delivery order (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.array(fc.record({ side: fc.boolean(), doc: fc.nat(2), emit: fc.boolean() }), { minLength: 1, maxLength: 30 }),
        (seed, steps) => {
          const rnd = prng(seed);
          const ids = [0, 1, 2].map(() => docId(rnd));
          const base = newFeed(rnd, 'c');
          const r = [0, 1].map(() => ({
            access: memoryDocAccess(new Map([[ids[0], Automerge.clone(base) as AnyDoc]])),
            emitter: new ChangeSetEmitter(),
            outbox: [] as Uint8Array[],
          }));
          let n = 0;
          for (const s of steps) {
            const me = r[s.side ? 0 : 1];
            me.access.apply(ids[s.doc], (d) => addOffer(rnd, d ?? newFeed(rnd, 'c'), n++));
            if (s.emit) me.outbox.push(...carry(me.emitter.emitAll(me.access)));
          }
          for (const me of r) me.outbox.push(...carry(me.emitter.emitAll(me.access)));
          deliver(r[1].access, shuffle(rnd, r[0].outbox));
          deliver(r[0].access, shuffle(rnd, r[1].outbox));
          return sameDocs(r[0].access, r[1].access);
        },
      ),
      { numRuns: 80 },
    );
  });

  it('Scenario: 20 feeds x 100 offers reach B through a carrier (bytes vs Automerge.save)', () => {
    // Sized to finish in seconds on a loaded 2-core machine; the 10,000-offer figure is bench/bridge.ts's.
    const rnd = prng(9);
    const a = memoryDocAccess();
    const ids = Array.from({ length: 20 }, () => docId(rnd));
    for (const id of ids) a.apply(id, () => newFeed(rnd, 'c1'));
    const e = new ChangeSetEmitter();
    const carried: Uint8Array[] = [];
    const rounds = 4; // the bridge visits A four times while the offers are written
    for (let round = 0; round < rounds; round++) {
      for (const id of ids) {
        for (let i = 0; i < 100 / rounds; i++) a.apply(id, (d) => addOffer(rnd, d!, round * 1000 + i));
      }
      carried.push(...carry(e.emitAll(a)));
    }
    const b = memoryDocAccess();
    const results = deliver(b, shuffle(rnd, carried));
    expect(results.every((r) => r.status === 'applied' || r.status === 'pending')).toBe(true);
    expect(sameDocs(a, b)).toBe(true);
    const payloadBytes = carried.reduce((n, x) => n + x.length, 0);
    const ratio = payloadBytes / saveSize(a);
    console.log(JSON.stringify({ name: 'carried 20x100, 4 rounds', payloadBytes, saveBytes: saveSize(a), ratio: +ratio.toFixed(3) }));
    expect(ratio).toBeLessThan(1.2);
  }, 300_000);
});
