import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Contact } from '../../../relay/dtn/contact.ts';
import { EpidemicRouter } from '../../../relay/dtn/routing/epidemic.ts';
import { decodeSummary, encodeSummary, SummaryError } from '../../../relay/dtn/routing/summary-vector.ts';
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
    const router = new EpidemicRouter({ ids: () => ['a', 'b'] });
    const plan = router.contactUp(contact('dtn://peer/'));
    expect(plan.pump).toBe(true);
    expect([...decodeSummary(plan.announce!)]).toEqual(['a', 'b']);
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
