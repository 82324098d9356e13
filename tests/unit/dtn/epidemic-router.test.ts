import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Contact } from '../../../relay/dtn/contact.ts';
import { EpidemicRouter } from '../../../relay/dtn/routing/epidemic.ts';
import { decodeSummary, encodeSummary, SummaryError } from '../../../relay/dtn/routing/summary-vector.ts';
import { decodeSketch, FIRST_SYMBOLS, newSalt } from '../../../relay/dtn/routing/sketch.ts';
import { decodeRoutingPayload } from '../../../relay/dtn/routing/routing-payload.ts';
import type { BundleMeta } from '../../../relay/dtn/store/index.ts';
import { contact, meta } from './router-fixtures.ts';

// openspec/changes/dtn-structure — routing behind an interface; epidemic routing is today's scheme.


/** What the pump would send: the store's bundles the offer filter lets through and forwarding() allows. */
function wouldSend(router: EpidemicRouter, c: Contact, held: BundleMeta[]): string[] {
  const offer = router.offer(c);
  if (!offer) return [];
  return held.filter((m) => !offer.exclude?.has(m.id) && (offer.where?.(m) ?? true)).filter((m) => router.forwarding(c, m.id)).map((m) => m.id);
}

describe('epidemic routing behind the Router interface', () => {
  it('Scenario: on contact up the epidemic router announces what the node holds, and only to peers with a dtn node ID', () => {
    // A store whose whole list weighs no more than a first sketch sends the list, marked as read-sketches.
    const router = new EpidemicRouter({ ids: () => ['a', 'b'] });
    const plan = router.contactUp(contact('dtn://peer/'));
    expect(plan.pump).toBe(true);
    expect([...decodeSummary(plan.announce!)]).toEqual(['a', 'b']);
    expect(decodeRoutingPayload(plan.announce!)).toMatchObject({ kind: 'summary', sketches: true });
    // A bigger one sends the first symbols of its sketch.
    const big = new EpidemicRouter({ ids: () => Array.from({ length: 1000 }, (_, i) => `dtn://x/ ${i} 0`) });
    const sketch = decodeSketch(big.contactUp(contact('dtn://peer/')).announce!);
    expect(sketch).toMatchObject({ kind: 'sketch', n: 1000, from: 0 });
    expect((sketch as { symbols: unknown[] }).symbols).toHaveLength(FIRST_SYMBOLS);
    expect(router.contactUp(contact('ipn:7.0'))).toEqual({ pump: false });
    expect(router.contactUp(contact(''))).toEqual({ pump: false });
  });

  it('Scenario: the epidemic router offers nothing before the peer\'s summary, then each bundle the peer lacks once', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.string({ minLength: 1, maxLength: 8 }), { maxLength: 30 }), fc.array(fc.boolean(), { minLength: 30, maxLength: 30 }), (ids, peerHolds) => {
        const router = new EpidemicRouter({ ids: () => ids });
        const c = contact('dtn://peer/');
        const held = ids.map((id, i) => meta(id, i % 7 === 3 ? { audience: 'local' } : i % 5 === 4 ? { source: 'dtn://peer/' } : {}));
        router.contactUp(c);
        expect(router.offer(c)).toBeUndefined();
        expect(wouldSend(router, c, held)).toEqual([]);
        // A relay from before sketches sends its summary vector: this one routes from it (and sends its own back).
        const summary = ids.filter((_, i) => peerHolds[i]);
        expect(router.onRouting(c, encodeSummary(summary))).toBe(true);
        const expected = held.filter((m, i) => !peerHolds[i] && m.audience !== 'local' && m.source !== 'dtn://peer/').map((m) => m.id);
        expect(wouldSend(router, c, held)).toEqual(expected);
        // Sent once, whether or not it was acknowledged; epidemic routing keeps its copy.
        expect(wouldSend(router, c, held)).toEqual([]);
        for (const id of expected) expect(router.forwarded(c, id, false)).toBe('keep');
      }),
    );
  });

  it('Scenario: a bundle the peer sent is never offered back, and a new contact starts from nothing', () => {
    const router = new EpidemicRouter({ ids: () => [] });
    const c = contact('dtn://peer/');
    router.contactUp(c);
    router.onRouting(c, encodeSummary([]));
    router.received(c, 'from-peer');
    expect(wouldSend(router, c, [meta('from-peer'), meta('ours')])).toEqual(['ours']);
    router.contactDown(c);
    expect(router.offer(c)).toBeUndefined();
    // A summary that arrives after the contact went down is not kept.
    expect(router.onRouting(c, encodeSummary(['late']))).toBe(false);
    expect(router.offer(c)).toBeUndefined();
  });

  it('Scenario: a summary that is not one is an error and changes nothing', () => {
    const router = new EpidemicRouter({ ids: () => [] });
    const c = contact('dtn://peer/');
    router.contactUp(c);
    expect(() => router.onRouting(c, new Uint8Array([0xff, 0x00]))).toThrow(SummaryError);
    expect(router.offer(c)).toBeUndefined();
  });
});

/** Two relays' epidemic routers on one contact, their routing messages delivered in order, counted. */
function pair(idsA: string[], idsB: string[], o: { maxSketchSymbols?: number; oldB?: boolean } = {}) {
  const queue: Array<() => void> = [];
  const sent = { ab: 0, ba: 0, messages: 0, summaries: 0 };
  const ca = contact('dtn://b/');
  const cb = contact('dtn://a/');
  const deliver = (to: EpidemicRouter, c: Contact, payload: Uint8Array) => queue.push(() => void to.onRouting(c, payload));
  // What reaches a relay from before sketches (oldB) is only counted: it announced its summary vector and reads nothing we send.
  const a: EpidemicRouter = new EpidemicRouter({ ids: () => idsA }, { send: (_c, p) => count('ab', p) && !o.oldB && deliver(b, cb, p), maxSketchSymbols: o.maxSketchSymbols });
  const b: EpidemicRouter = new EpidemicRouter({ ids: () => idsB }, { send: (_c, p) => count('ba', p) && deliver(a, ca, p), maxSketchSymbols: o.maxSketchSymbols });
  function count(dir: 'ab' | 'ba', p: Uint8Array): true {
    sent[dir] += p.length;
    sent.messages++;
    try {
      decodeSummary(p);
      sent.summaries++;
    } catch {
      // a sketch message
    }
    return true;
  }
  const upA = a.contactUp(ca);
  if (o.oldB) {
    b.contactUp(cb);
    const summaryB = encodeSummary(idsB);
    count('ba', summaryB);
    deliver(a, ca, summaryB);
  } else {
    const upB = b.contactUp(cb);
    count('ba', upB.announce!);
    deliver(a, ca, upB.announce!);
  }
  count('ab', upA.announce!);
  if (!o.oldB) deliver(b, cb, upA.announce!);
  for (let turns = 0; queue.length > 0 && turns < 1000; turns++) queue.shift()!();
  const lacks = (r: EpidemicRouter, c: Contact, held: string[]) => wouldSend(r, c, held.map((id) => meta(id)));
  return { sent, aSends: lacks(a, ca, idsA), bSends: lacks(b, cb, idsB) };
}

describe('epidemic routing by set reconciliation', () => {
  it('Scenario: two relays learn exactly which bundles the other lacks, whatever their stores (property)', () => {
    // (Stores of a few hundred short ids: most contacts here end in summary vectors, the smaller message.)
    fc.assert(
      fc.property(fc.uniqueArray(fc.string({ minLength: 1, maxLength: 12 }), { maxLength: 400 }), fc.array(fc.nat(3), { minLength: 400, maxLength: 400 }), (ids, where) => {
        // 0: both hold it; 1: only A; 2: only B; 3: both.
        const idsA = ids.filter((_, i) => where[i] !== 2);
        const idsB = ids.filter((_, i) => where[i] !== 1);
        const { aSends, bSends, sent } = pair(idsA, idsB);
        expect(aSends.sort()).toEqual(ids.filter((_, i) => where[i] === 1).sort());
        expect(bSends.sort()).toEqual(ids.filter((_, i) => where[i] === 2).sort());
        // Never much more than the two summary vectors alone: a sketch that would outweigh one gives way to it.
        const lists = encodeSummary(idsA).length + encodeSummary(idsB).length;
        expect(sent.ab + sent.ba).toBeLessThanOrEqual(3 * lists + 4 * FIRST_SYMBOLS * 20 + 512);
      }),
      { numRuns: 60 },
    );
  });

  it('Scenario: a relay from before sketches sends its summary vector and gets one back; bundles flow both ways', () => {
    const { aSends, sent } = pair(['x', 'y', 'shared'], ['shared', 'z'], { oldB: true });
    expect(aSends.sort()).toEqual(['x', 'y']);
    // Its summary on contact up and ours in answer (it cannot read the sketch it got).
    expect(sent.summaries).toBe(2);
  });

  it('Scenario: when reconciling would cost more than it saves, the relays fall back to summary vectors and still agree', () => {
    const idsA = Array.from({ length: 300 }, (_, i) => `a${i}`);
    const idsB = Array.from({ length: 300 }, (_, i) => `b${i}`);
    const { aSends, bSends, sent } = pair(idsA, idsB, { maxSketchSymbols: 128 });
    expect(aSends).toHaveLength(300);
    expect(bSends).toHaveLength(300);
    expect(sent.summaries).toBeGreaterThan(0);
  });

  it('Scenario: symbols that are noise neither throw nor loop: the relay asks for the summary vector', () => {
    const router = new EpidemicRouter({ ids: () => Array.from({ length: 50 }, (_, i) => `id${i}`) }, { send: (_c, p) => replies.push(p), maxSketchSymbols: 4096 });
    const replies: Uint8Array[] = [];
    const c = contact('dtn://peer/');
    router.contactUp(c);
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 20 * 64, maxLength: 20 * 64 }), (noise) => {
        const sketch = { kind: 'sketch' as const, salt: newSalt(), n: 10, from: 0, symbols: Array.from({ length: 64 }, (_, i) => {
          const v = new DataView(noise.buffer, noise.byteOffset + 20 * i, 20);
          return { kh: v.getUint32(0), kl: v.getUint32(4), ch: v.getUint32(8), cl: v.getUint32(12), count: v.getInt32(16) };
        }) };
        expect(() => router.sketch(c, sketch)).not.toThrow();
      }),
      { numRuns: 50 },
    );
    expect(replies.length).toBeGreaterThan(0);
  });
});

describe('epidemic routing: the smaller message', () => {
  it('Scenario: two big stores that differ a little exchange sketches, a few KB instead of their lists of ids', () => {
    const common = Array.from({ length: 5000 }, (_, i) => `dtn://common/ ${1733500000 + i} 0`);
    const idsA = [...common, 'dtn://a/ 1 0', 'dtn://a/ 2 0'];
    const idsB = [...common, 'dtn://b/ 1 0'];
    const { aSends, bSends, sent } = pair(idsA, idsB);
    expect(aSends.sort()).toEqual(['dtn://a/ 1 0', 'dtn://a/ 2 0']);
    expect(bSends).toEqual(['dtn://b/ 1 0']);
    expect(sent.summaries).toBe(0);
    expect(sent.ab + sent.ba).toBeLessThan((encodeSummary(idsA).length + encodeSummary(idsB).length) / 20);
  });
});
