import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as Automerge from '@automerge/automerge/slim';
import { ContactSync, SyncPayloadError, memoryDocAccess } from '../../../src/core/sync/index.ts';
import type { AnyDoc } from '../../../src/core/sync/index.ts';
import { addOffer, contact, docId, newFeed, prng, relay, sameDoc, sameDocs } from './fixtures.ts';

function feeds(seed: number, n: number, offers: number, community = 'community-one') {
  const rnd = prng(seed);
  const docs = new Map<string, AnyDoc>();
  for (let f = 0; f < n; f++) {
    let doc = newFeed(rnd, community) as AnyDoc;
    for (let i = 0; i < offers; i++) doc = addOffer(rnd, doc, i);
    docs.set(docId(rnd), doc);
  }
  return docs;
}

describe('contact sync', () => {
  it('Scenario: two relays converge, including docs only one side holds', () => {
    const a = relay(feeds(1, 3, 5));
    const b = relay(feeds(2, 2, 4));
    const r = contact(a.sync(), b.sync());
    expect(a.access.ids()).toHaveLength(5);
    expect(sameDocs(a.access, b.access)).toBe(true);
    expect(r.messages).toBeLessThan(60);
  });

  it('Scenario: concurrent edits on both sides of a shared doc converge', () => {
    const rnd = prng(3);
    const shared = feeds(3, 2, 3);
    const a = relay(new Map(shared));
    const b = relay(new Map([...shared].map(([id, d]) => [id, Automerge.clone(d)])));
    for (const id of a.access.ids()) {
      a.access.apply(id, (d) => addOffer(rnd, d!, 100));
      b.access.apply(id, (d) => addOffer(rnd, d!, 200));
    }
    contact(a.sync(), b.sync());
    expect(sameDocs(a.access, b.access)).toBe(true);
    for (const id of a.access.ids()) {
      expect(Object.keys((a.access.get(id) as { intents: object }).intents)).toHaveLength(5);
    }
  });

  it('Scenario: relays already in sync exchange only doc summaries', () => {
    const docs = feeds(4, 4, 3);
    const a = relay(new Map(docs));
    const b = relay(new Map([...docs].map(([id, d]) => [id, Automerge.clone(d)])));
    const r = contact(a.sync(), b.sync());
    expect(r.syncMessages).toBe(0);
    expect(r.messages).toBe(2);
  });

  it('Scenario: the acceptance policy decides which new docs a relay takes on', () => {
    const mine = feeds(5, 2, 2, 'ours');
    const theirs = feeds(6, 2, 2, 'theirs');
    const a = relay(new Map([...mine, ...theirs]));
    const bAccess = memoryDocAccess();
    const b = new ContactSync({ access: bAccess, accepts: (_id, meta) => meta.community === 'ours' });
    contact(a.sync(), b);
    expect(bAccess.ids().sort()).toEqual([...mine.keys()].sort());
    for (const id of mine.keys()) expect(sameDoc(a.access.get(id), bAccess.get(id))).toBe(true);
  });

  it('Scenario: a relay does not announce docs its share policy withholds', () => {
    const hidden = feeds(7, 1, 1, 'local-only');
    const open = feeds(8, 1, 1, 'public');
    const aAccess = memoryDocAccess(new Map([...hidden, ...open]));
    const a = new ContactSync({ access: aAccess, accepts: () => true, shares: (_id, m) => m.community !== 'local-only' });
    const b = relay();
    contact(a, b.sync());
    expect(b.access.ids()).toEqual([...open.keys()]);
  });

  it('Scenario: lost and reordered messages, then a new contact converges', () => {
    const rnd = prng(9);
    const a = relay(feeds(10, 4, 6));
    const b = relay(feeds(11, 3, 6));
    for (const id of a.access.ids().slice(0, 2)) b.access.apply(id, () => Automerge.clone(a.access.get(id)!));
    for (const id of a.access.ids().slice(0, 2)) b.access.apply(id, (d) => addOffer(rnd, d!, 50));
    const first = contact(a.sync(), b.sync(), { drop: (n) => n % 3 === 0, shuffle: rnd });
    expect(first.dropped).toBeGreaterThan(0);
    // The first contact may or may not have converged; a fresh one (new sync states) must.
    contact(a.sync(), b.sync());
    expect(sameDocs(a.access, b.access)).toBe(true);
  });

  it('Scenario: a local change during a contact reaches the peer, including a new doc', () => {
    const rnd = prng(12);
    const a = relay(feeds(13, 2, 2));
    const b = relay();
    const sa = a.sync();
    const sb = b.sync();
    contact(sa, sb);
    const [id] = a.access.ids();
    a.access.apply(id, (d) => addOffer(rnd, d!, 9));
    const fresh = docId(rnd);
    a.access.apply(fresh, () => addOffer(rnd, newFeed(rnd, 'community-one'), 1));
    // continue the same contact: no start(), only the change notifications
    let inflight = [...sa.onLocalChange(id), ...sa.onLocalChange(fresh)].map((p) => ({ to: sb, p }));
    for (let steps = 0; inflight.length > 0; steps++) {
      expect(steps).toBeLessThan(50);
      const { to, p } = inflight.shift()!;
      const from = to === sb ? sa : sb;
      inflight.push(...to.receive(p).map((q) => ({ to: from, p: q })));
    }
    expect(sameDocs(a.access, b.access)).toBe(true);
  });

  it('Scenario: a sync message for a doc never asked for is ignored', () => {
    const b = relay();
    const sb = b.sync();
    sb.start();
    const doc = addOffer(prng(14), newFeed(prng(14), 'x'), 0);
    const [, msg] = Automerge.generateSyncMessage(doc, Automerge.initSyncState());
    expect(sb.receive({ t: 'sync', doc: 'unasked', msg: msg! })).toEqual([]);
    expect(b.access.ids()).toEqual([]);
  });

  it('Scenario: a malformed sync message is a typed error and the doc is intact', () => {
    const a = relay(feeds(15, 1, 2));
    const [id] = a.access.ids();
    const before = a.access.get(id)!;
    const sa = a.sync();
    sa.start();
    expect(() => sa.receive({ t: 'sync', doc: id, msg: new Uint8Array([0x42, 1, 2, 3, 4]) })).toThrow(SyncPayloadError);
    expect(sameDoc(before, a.access.get(id))).toBe(true);
  });

  it('Scenario: contact sync does not take carried change-sets', () => {
    const sa = relay().sync();
    const changes = { t: 'changes' as const, doc: 'd', community: 'c', heads: [], deps: [], data: new Uint8Array([1]) };
    expect(() => sa.receive(changes)).toThrow(SyncPayloadError);
  });

  it('Scenario: random edits on two replicas converge by contact sync (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.array(fc.record({ side: fc.boolean(), doc: fc.nat(3), sync: fc.boolean() }), { maxLength: 25 }),
        fc.integer({ min: 0, max: 4 }),
        (seed, steps, dropEvery) => {
          const rnd = prng(seed);
          const ids = [0, 1, 2, 3].map(() => docId(rnd));
          const base = newFeed(rnd, 'c') as AnyDoc;
          const a = relay(new Map([[ids[0], base]]));
          const b = relay(new Map([[ids[0], Automerge.clone(base)]]));
          let n = 0;
          for (const s of steps) {
            const side = s.side ? a : b;
            const id = ids[s.doc];
            side.access.apply(id, (d) => addOffer(rnd, d ?? newFeed(rnd, 'c'), n++));
            if (s.sync) contact(a.sync(), b.sync(), { drop: (k) => dropEvery > 0 && k % (dropEvery + 1) === 0, shuffle: rnd });
          }
          contact(a.sync(), b.sync());
          return sameDocs(a.access, b.access);
        },
      ),
      { numRuns: 60 },
    );
  });
});
