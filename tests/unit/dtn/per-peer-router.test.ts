import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Contact } from '../../../relay/dtn/contact.ts';
import { PerPeerRouter, type Scheme } from '../../../relay/dtn/routing/per-peer.ts';
import { parseRoute, type StaticRoute } from '../../../relay/dtn/routing/static-routes.ts';
import { encodeSummary } from '../../../relay/dtn/routing/summary-vector.ts';
import type { BundleMeta } from '../../../relay/dtn/store/index.ts';
import { contact, meta } from './router-fixtures.ts';

// openspec/changes/dtn-routing — a routing scheme per peer: summaries, push with per-peer history, direct, static routes.


function router(held: BundleMeta[], o: { routes?: StaticRoute[]; overrides?: Map<string, Scheme>; summaryWaitMs?: number; wake?: () => void } = {}): PerPeerRouter {
  return new PerPeerRouter(
    { ids: () => held.map((m) => m.id), has: (id) => held.some((m) => m.id === id), list: () => held },
    { routes: o.routes ?? [], overrides: o.overrides ?? new Map(), summaryWaitMs: o.summaryWaitMs ?? 60_000, wake: o.wake ?? (() => undefined) },
  );
}

/** One pump pass: what the router offers and lets go, each transfer settling as `acked` says. */
function pass(r: PerPeerRouter, c: Contact, held: BundleMeta[], acked: (id: string) => boolean = () => true): string[] {
  const offer = r.offer(c);
  if (!offer) return [];
  const sent = held.filter((m) => !offer.exclude?.has(m.id) && (offer.where?.(m) ?? true)).filter((m) => r.forwarding(c, m.id)).map((m) => m.id);
  for (const id of sent) r.forwarded(c, id, acked(id));
  return sent;
}

describe('routing per peer', () => {
  it('Scenario: a peer without summaries is routed by push, a dtn peer that sends one by summaries', async () => {
    const held = [meta('a'), meta('b')];
    let woke!: () => void;
    const decided = new Promise<void>((resolve) => (woke = resolve));
    const r = router(held, { summaryWaitMs: 1, wake: () => woke() });
    const ipn = contact('ipn:977.0');
    expect(r.contactUp(ipn)).toEqual({ pump: true });
    expect(r.choice(ipn).scheme).toBe('push');
    const quiet = contact('dtn://quiet/');
    expect(r.contactUp(quiet).announce).toBeDefined();
    expect(r.offer(quiet)).toBeUndefined(); // deciding: nothing yet
    await decided;
    expect(r.choice(quiet)).toEqual({ scheme: 'push', why: 'sent no summary' });
    const relay = contact('dtn://relay/');
    r.contactUp(relay);
    expect(r.onRouting(relay, encodeSummary(['a']))).toBe(true);
    expect(r.choice(relay).scheme).toBe('summary');
    expect(pass(r, relay, held)).toEqual(['b']);
    // A late summary moves a push peer to summaries; a configured scheme stays.
    r.onRouting(quiet, encodeSummary([]));
    expect(r.choice(quiet).scheme).toBe('summary');
    const fixed = router(held, { overrides: new Map([['dtn://fixed/', 'push']]) });
    const f = contact('dtn://fixed/');
    fixed.contactUp(f);
    fixed.onRouting(f, encodeSummary([]));
    expect(fixed.choice(f)).toEqual({ scheme: 'push', why: 'configured' });
  });

  it('Scenario: push sends each bundle once per peer across contacts, and again only if unacknowledged', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.string({ minLength: 1, maxLength: 6 }), { maxLength: 25 }), fc.array(fc.boolean(), { minLength: 25, maxLength: 25 }), fc.array(fc.boolean(), { minLength: 25, maxLength: 25 }), (ids, fromPeer, lost) => {
        const held = ids.map((id, i) => meta(id, fromPeer[i] ? { source: 'ipn:977.1' } : {}));
        const r = router(held);
        const first = contact('ipn:977.0');
        r.contactUp(first);
        const sent1 = pass(r, first, held, (id) => !lost[ids.indexOf(id)]);
        // Never its own bundles back.
        expect(sent1.sort()).toEqual(held.filter((m) => m.source !== 'ipn:977.1').map((m) => m.id).sort());
        // Nothing twice on one contact, not even what the peer refused.
        expect(pass(r, first, held)).toEqual([]);
        r.contactDown(first);
        const second = contact('ipn:977.0');
        r.contactUp(second);
        // Only the transfers that were not acknowledged go again.
        expect(pass(r, second, held).sort()).toEqual(sent1.filter((id) => lost[ids.indexOf(id)]).sort());
        expect(pass(r, second, held)).toEqual([]);
      }),
    );
  });

  it('Scenario: direct sends a peer only bundles for its node, a static route holds a destination for its peer', () => {
    const held = [meta('mine', { destination: 'ipn:977.3' }), meta('group', { destination: 'dtn://ipn-like/~changes' }), meta('far', { destination: 'dtn://far/inbox' }), meta('other', { destination: 'dtn://x/y' })];
    const r = router(held, { routes: [parseRoute('dtn://far/*=dtn://gateway/')], overrides: new Map([['ipn:977.0', 'direct']]) });
    const ipn = contact('ipn:977.0');
    const gateway = contact('dtn://gateway/');
    const other = contact('dtn://other/');
    for (const c of [ipn, gateway, other]) r.contactUp(c);
    r.onRouting(gateway, encodeSummary([]));
    r.onRouting(other, encodeSummary([]));
    expect(pass(r, ipn, held)).toEqual(['mine']);
    expect(pass(r, gateway, held).sort()).toEqual(['far', 'group', 'mine', 'other']);
    expect(pass(r, other, held).sort()).toEqual(['group', 'mine', 'other']);
    // The destination node itself may always be handed its bundle.
    const far = contact('dtn://far/');
    r.contactUp(far);
    r.onRouting(far, encodeSummary([]));
    expect(pass(r, far, held)).toContain('far');
  });
});
