import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Contact } from '../../../relay/dtn/contact.ts';
import { aged, encounter, PredictabilityTable, PROPHET_PARAMS, transitive } from '../../../relay/dtn/routing/predictability.ts';
import { ProphetRouter } from '../../../relay/dtn/routing/prophet.ts';
import { encodeAnnounce } from '../../../relay/dtn/routing/routing-announce.ts';
import { SummaryError } from '../../../relay/dtn/routing/summary-vector.ts';
import type { BundleMeta } from '../../../relay/dtn/store/index.ts';
import type { TcpclSession } from '../../../relay/dtn/tcpcl/index.ts';

// openspec/changes/dtn-sim — PRoPHET (RFC 6693) with GRTR behind the Router interface.

const P = PROPHET_PARAMS;
const HOUR = P.timeUnitMs;

function contact(peer: string): Contact {
  return { session: {} as TcpclSession, peer, services: peer, since: 0, bundlesIn: 0, bundlesOut: 0, unacked: 0 };
}

const prob = fc.double({ min: 0, max: 1, noNaN: true });
const endpoint = fc.constantFrom('dtn://a/', 'dtn://b/', 'dtn://c/', 'dtn://d/', 'dtn://g/');

const meta = (id: string, destination: string): BundleMeta => ({ id, source: 'dtn://src/', destination, priority: 2, audience: 'public', createdAt: 0, expiresAt: 1e15, size: 1 });

describe('PRoPHET delivery predictabilities (RFC 6693)', () => {
  it('Scenario: predictabilities stay within [0, 1] whatever encounters, ageing and peer tables come', () => {
    const op = fc.oneof(
      fc.record({ k: fc.constant('meet' as const), e: endpoint }),
      fc.record({ k: fc.constant('age' as const), hours: fc.double({ min: -5, max: 500, noNaN: true }) }),
      fc.record({ k: fc.constant('learn' as const), via: endpoint, theirs: fc.array(fc.tuple(endpoint, prob), { maxLength: 6 }) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        let now = 0;
        const t = new PredictabilityTable(P, now);
        for (const o of ops) {
          if (o.k === 'meet') t.encounter(o.e);
          else if (o.k === 'age') t.age((now += o.hours * HOUR));
          else t.learn(o.via, new Map(o.theirs), new Set(['dtn://a/']));
          for (const [, v] of t.entries()) expect(v >= 0 && v <= 1).toBe(true);
        }
      }),
    );
  });

  it('Scenario: ageing never raises a predictability, and longer ageing lowers it at least as much', () => {
    fc.assert(
      fc.property(prob, fc.nat(1000), fc.nat(1000), (p, k1, k2) => {
        const [short, long] = k1 <= k2 ? [k1, k2] : [k2, k1];
        expect(aged(p, short, P)).toBeLessThanOrEqual(p);
        expect(aged(p, long, P)).toBeLessThanOrEqual(aged(p, short, P));
        expect(aged(p, 1, P)).toBeCloseTo(p * 0.98, 12);
      }),
    );
    const t = new PredictabilityTable(P, 0);
    t.encounter('dtn://b/');
    const met = t.get('dtn://b/');
    t.age(HOUR / 2); // less than one time unit: unchanged
    expect(t.get('dtn://b/')).toBe(met);
    t.age(3 * HOUR);
    expect(t.get('dtn://b/')).toBeCloseTo(met * 0.98 ** 3, 12);
    t.age(2 * HOUR); // a clock going back ages nothing
    expect(t.get('dtn://b/')).toBeCloseTo(met * 0.98 ** 3, 12);
  });

  it('Scenario: encounters and transitivity follow the RFC 6693 formulas with P_init 0.75 and beta 0.25', () => {
    expect(encounter(0, P)).toBeCloseTo(0.75 * 0.99, 12);
    fc.assert(
      fc.property(prob, prob, prob, (old, pab, pbc) => {
        expect(encounter(old, P)).toBeCloseTo(old + (1 - 0.01 - old) * 0.75, 12);
        expect(transitive(old, pab, pbc, P)).toBe(Math.max(old, pab * pbc * 0.25));
        expect(transitive(old, pab, pbc, P)).toBeGreaterThanOrEqual(old);
      }),
    );
    const t = new PredictabilityTable(P, 0);
    t.encounter('dtn://b/');
    t.learn('dtn://b/', new Map([['dtn://c/', 0.8], ['dtn://a/', 0.9]]), new Set(['dtn://a/']));
    expect(t.get('dtn://c/')).toBeCloseTo(encounter(0, P) * 0.8 * 0.25, 12);
    expect(t.get('dtn://a/')).toBe(0); // our own node ID is never learnt
  });
});

describe('PRoPHET routing with GRTR', () => {
  function setup() {
    const held = [meta('to-c', 'dtn://c/inbox'), meta('to-b', 'dtn://b/inbox'), meta('to-g', 'dtn://g/~changes')];
    let now = 0;
    const router = new ProphetRouter({ ids: () => held.map((m) => m.id) }, { nodeId: 'dtn://a/', serves: ['dtn://g/'], now: () => now });
    return { held, router, tick: (h: number) => (now += h * HOUR) };
  }
  const offered = (r: ProphetRouter, c: Contact, held: BundleMeta[]) => {
    const f = r.offer(c);
    return f ? held.filter((m) => !f.exclude?.has(m.id) && (f.where?.(m) ?? true)).map((m) => m.id) : undefined;
  };

  it('Scenario: PRoPHET offers a bundle to its destination, or to a peer more likely than us to meet it', () => {
    const { held, router } = setup();
    const b = contact('dtn://b/');
    const plan = router.contactUp(b);
    expect(plan.pump).toBe(true);
    expect(offered(router, b, held)).toBeUndefined();
    // b serves itself; it meets c often (0.6) and knows nothing of the community.
    router.onRouting(b, encodeAnnounce('prophet', { ids: [], serves: ['dtn://b/'], table: [['dtn://c/', 0.6]] }));
    expect(offered(router, b, held)).toEqual(['to-c', 'to-b']);
    expect(router.predictability('dtn://c/')).toBeCloseTo(encounter(0, P) * 0.6 * 0.25, 12);
    // A second peer less likely than us to meet c gets nothing for c.
    const d = contact('dtn://d/');
    router.contactUp(d);
    router.onRouting(d, encodeAnnounce('prophet', { ids: [], serves: ['dtn://d/'], table: [['dtn://c/', 0.05], ['dtn://g/', 0.5]] }));
    expect(offered(router, d, held)).toEqual(['to-g']);
  });

  it('Scenario: PRoPHET drops its copy once a single-node destination acknowledged it, and keeps group bundles', () => {
    const { router } = setup();
    const b = contact('dtn://b/');
    router.contactUp(b);
    router.onRouting(b, encodeAnnounce('prophet', { ids: [], serves: ['dtn://b/', 'dtn://g/'], table: [] }));
    const f = router.offer(b)!;
    expect(f.where!(meta('to-b', 'dtn://b/inbox'))).toBe(true);
    expect(f.where!(meta('to-g', 'dtn://g/~changes'))).toBe(true);
    expect(router.forwarding(b, 'to-b')).toBe(true);
    expect(router.forwarding(b, 'to-b')).toBe(false);
    expect(router.forwarded(b, 'to-b', true)).toBe('delete');
    expect(router.forwarding(b, 'to-g')).toBe(true);
    expect(router.forwarded(b, 'to-g', true)).toBe('keep');
  });

  it('Scenario: a peer announcing another node as served is not handed that node\'s bundles as their destination', () => {
    const { router } = setup();
    const b = contact('dtn://b/');
    router.contactUp(b);
    router.onRouting(b, encodeAnnounce('prophet', { ids: [], serves: ['dtn://b/', 'dtn://c/'], table: [] }));
    // b's claim to serve c gives it no delivery: GRTR decides (b's P for c is not above ours), and a copy is never dropped for it.
    expect(router.offer(b)!.where!(meta('to-c', 'dtn://c/inbox'))).toBe(false);
    expect(router.forwarding(b, 'to-c')).toBe(true);
    expect(router.forwarded(b, 'to-c', true)).toBe('keep');
  });

  it('Scenario: a PRoPHET announce that is not one is an error and changes nothing', () => {
    const { router, held } = setup();
    const b = contact('dtn://b/');
    router.contactUp(b);
    const before = router.predictability('dtn://c/');
    expect(() => router.onRouting(b, new Uint8Array([0x9f]))).toThrow(SummaryError);
    expect(() => router.onRouting(b, encodeAnnounce('prophet', { ids: [], serves: [], table: [['dtn://c/', 7]] }))).toThrow(SummaryError);
    expect(() => router.onRouting(b, encodeAnnounce('spray', { ids: [], serves: [], table: [] }))).toThrow(SummaryError);
    expect(router.predictability('dtn://c/')).toBe(before);
    expect(offered(router, b, held)).toBeUndefined();
  });
});
