import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Contact } from '../../../relay/dtn/contact.ts';
import { decode } from 'cbor2';
import { PerPeerRouter, type RouterName, type Scheme } from '../../../relay/dtn/routing/per-peer.ts';
import { encodeAnnounce } from '../../../relay/dtn/routing/routing-announce.ts';
import { parseRoute, type StaticRoute } from '../../../relay/dtn/routing/static-routes.ts';
import { encodeSummary } from '../../../relay/dtn/routing/summary-vector.ts';
import type { BundleMeta } from '../../../relay/dtn/store/index.ts';
import { contact, meta } from './router-fixtures.ts';

// openspec/changes/dtn-routing — a routing scheme per peer: summaries, push with per-peer history, direct, static routes.


function router(held: BundleMeta[], o: { routes?: StaticRoute[]; overrides?: Map<string, Scheme>; summaryWaitMs?: number; wake?: () => void; router?: RouterName } = {}): PerPeerRouter {
  return new PerPeerRouter(
    { ids: () => held.map((m) => m.id), has: (id) => held.some((m) => m.id === id), list: (f = {}) => held.filter((m) => !f.exclude?.has(m.id) && (f.where?.(m) ?? true)) },
    { routes: o.routes ?? [], overrides: o.overrides ?? new Map(), summaryWaitMs: o.summaryWaitMs ?? 60_000, wake: o.wake ?? (() => undefined), router: o.router, nodeId: HERE, serves: () => ['dtn://c1/'] },
  );
}

const HERE = 'dtn://here/';
/** A bundle this relay made after its router started: spray-and-wait gives it L copies. */
const own = (id: string, destination = 'dtn://c9/~changes'): BundleMeta => meta(id, { source: HERE, destination, local: true, createdAt: Date.now() + 60_000, expiresAt: Date.now() + 3600e3 });
const announce = (kind: 'spray' | 'prophet', table: Array<[string, number]> = [], serves: string[] = []) => encodeAnnounce(kind, { ids: [], serves, table });

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

  it('Scenario: with --route spray a relay announcing spray is routed by spray, one sending a summary epidemically, a standard neighbour by push', () => {
    const held = [own('mine')];
    const r = router(held, { router: 'spray' });
    const relay = contact('dtn://relay/');
    const sent = r.contactUp(relay).announce!;
    // Our announce is spray's, and lists our ids as a summary would.
    expect(decode(sent)).toMatchObject({ t: 'spray', ids: ['mine'], table: [['mine', 8]] });
    expect(r.choice(relay).scheme).toBe('deciding');
    r.onRouting(relay, announce('spray'));
    expect(r.choice(relay)).toEqual({ scheme: 'spray', why: 'sent its spray announce' });
    expect(pass(r, relay, held)).toEqual(['mine']);
    // Half the copies went with it: the next relay's announce says we hold 4.
    const next = contact('dtn://next/');
    expect(decode(r.contactUp(next).announce!)).toMatchObject({ table: [['mine', 4]] });
    const old = contact('dtn://old/');
    r.contactUp(old);
    r.onRouting(old, encodeSummary([]));
    expect(r.choice(old)).toEqual({ scheme: 'summary', why: 'it routes by epidemic, not spray: epidemic with it' });
    expect(pass(r, old, held)).toEqual(['mine']);
    const ipn = contact('ipn:977.0');
    r.contactUp(ipn);
    expect(r.choice(ipn).scheme).toBe('push');
    expect(r.configured.default).toBe('spray');
  });

  it('Scenario: with --route prophet a bundle goes to a relay more likely to meet its destination, and a single destination takes our copy', () => {
    const held = [own('far'), own('ours', 'dtn://c1/~changes'), own('direct', 'dtn://relay/files')];
    const r = router(held, { router: 'prophet' });
    const relay = contact('dtn://relay/');
    expect(decode(r.contactUp(relay).announce!)).toMatchObject({ t: 'prophet', serves: [HERE, 'dtn://c1/'] });
    r.onRouting(relay, announce('prophet', [['dtn://c9/', 0.5]]));
    expect(r.choice(relay).scheme).toBe('prophet');
    // c9 is likelier from the relay than from here (we never met it); c1 is not (neither met it);
    // the relay's own bundle is a delivery.
    expect(pass(r, relay, held).sort()).toEqual(['direct', 'far']);
    expect(r.forwarded(relay, 'direct', true)).toBe('delete');
    expect(r.forwarded(relay, 'far', true)).toBe('keep');
  });
});
