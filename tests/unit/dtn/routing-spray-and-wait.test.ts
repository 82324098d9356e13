import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Contact } from '../../../relay/dtn/contact.ts';
import { encodeAnnounce } from '../../../relay/dtn/routing/routing-announce.ts';
import { SprayAndWaitRouter } from '../../../relay/dtn/routing/spray-and-wait.ts';
import { SummaryError } from '../../../relay/dtn/routing/summary-vector.ts';
import type { BundleMeta, ListFilter } from '../../../relay/dtn/store/index.ts';
import type { TcpclSession } from '../../../relay/dtn/tcpcl/index.ts';

// openspec/changes/dtn-sim — binary spray-and-wait behind the Router interface.

const L = 8;
const GROUP = 'dtn://community-x/~changes';

function contact(peer: string): Contact {
  return { session: {} as TcpclSession, peer, services: peer, since: 0, bundlesIn: 0, bundlesOut: 0, unacked: 0 };
}

/** The part of BundleStore a router reads, over a map. */
class MapStore {
  readonly m = new Map<string, BundleMeta>();
  has(id: string): boolean {
    return this.m.has(id);
  }
  list(f: ListFilter = {}): BundleMeta[] {
    return [...this.m.values()].filter((x) => !f.exclude?.has(x.id) && (f.where?.(x) ?? true));
  }
}

interface Node {
  id: string;
  store: MapStore;
  router: SprayAndWaitRouter;
}

function node(i: number, servesGroup: boolean): Node {
  const id = `dtn://n${i}/`;
  const store = new MapStore();
  return { id, store, router: new SprayAndWaitRouter(store, { nodeId: id, serves: servesGroup ? ['dtn://community-x/'] : [], copies: L, now: () => 0 }) };
}

const bundle = (source: string, destination: string): BundleMeta => ({ id: 'b', source, destination, priority: 2, audience: 'public', createdAt: 0, expiresAt: 1e15, size: 10, local: true });

interface Link {
  a: Node;
  b: Node;
  ca: Contact;
  cb: Contact;
}

/** Contact up on both sides; each announce arrives unless `lose` says it was lost. */
function up(a: Node, b: Node, lose: [boolean, boolean] = [false, false]): Link {
  const ca = contact(b.id);
  const cb = contact(a.id);
  const pa = a.router.contactUp(ca);
  const pb = b.router.contactUp(cb);
  if (!lose[0]) b.router.onRouting(cb, pa.announce!);
  if (!lose[1]) a.router.onRouting(ca, pb.announce!);
  return { a, b, ca, cb };
}

/** What a pump would do for bundle 'b' from `from` to `to`: true when it was handed over. */
function handOver(from: Node, cFrom: Contact, to: Node, cTo: Contact, o: { stored: boolean; acked: boolean }): boolean {
  const offer = from.router.offer(cFrom);
  const m = from.store.m.get('b');
  if (!offer || !m || from.store.list(offer).length === 0) return false;
  // What the offer lists, forwarding() accepts: otherwise the pump would list it again on every pass.
  expect(from.router.forwarding(cFrom, 'b')).toBe(true);
  to.router.received(cTo, 'b');
  if (o.stored && !to.store.has('b')) to.store.m.set('b', { ...m, local: false });
  if (from.router.forwarded(cFrom, 'b', o.acked) === 'delete') from.store.m.delete('b');
  return true;
}

function copiesInNetwork(nodes: Node[]): number {
  return nodes.reduce((s, n) => s + (n.store.m.has('b') ? n.router.held(n.store.m.get('b')!) : 0), 0);
}

describe('binary spray-and-wait', () => {
  it('Scenario: spray-and-wait never has more than L copies of a bundle in the network', () => {
    const op = fc.oneof(
      fc.record({ k: fc.constant('up' as const), a: fc.nat(3), b: fc.nat(3), lose: fc.tuple(fc.boolean(), fc.boolean()) }),
      fc.record({ k: fc.constant('send' as const), link: fc.nat(20), dir: fc.boolean(), stored: fc.boolean(), acked: fc.boolean() }),
      fc.record({ k: fc.constant('down' as const), link: fc.nat(20) }),
      fc.record({ k: fc.constant('evict' as const), n: fc.nat(5) }),
      fc.record({ k: fc.constant('originate' as const) }),
    );
    fc.assert(
      fc.property(fc.array(op, { minLength: 20, maxLength: 80, size: 'max' }), fc.boolean(), fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }), (ops, group, members) => {
        const nodes = members.map((g, i) => node(i, g));
        const destination = group ? GROUP : 'dtn://n5/inbox';
        const links: Link[] = [];
        let originated = false;
        for (const o of ops) {
          if (o.k === 'originate' && !originated) {
            originated = true;
            nodes[0].store.m.set('b', bundle(nodes[0].id, destination));
          } else if (o.k === 'up' && o.a !== o.b) links.push(up(nodes[o.a], nodes[o.b], o.lose));
          else if (o.k === 'send' && links.length > 0) {
            const l = links[o.link % links.length];
            if (o.dir) handOver(l.a, l.ca, l.b, l.cb, o);
            else handOver(l.b, l.cb, l.a, l.ca, o);
          } else if (o.k === 'down' && links.length > 0) {
            const [l] = links.splice(o.link % links.length, 1);
            l.a.router.contactDown(l.ca);
            l.b.router.contactDown(l.cb);
          } else if (o.k === 'evict') nodes[o.n].store.m.delete('b');
          expect(copiesInNetwork(nodes)).toBeLessThanOrEqual(L);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('Scenario: the source hands half its copies on, and a node with one copy waits for a destination', () => {
    const [src, carrier, other, dest] = [node(0, false), node(1, false), node(2, false), node(3, false)];
    src.store.m.set('b', bundle(src.id, 'dtn://n3/inbox'));
    const l1 = up(src, carrier);
    expect(handOver(src, l1.ca, carrier, l1.cb, { stored: true, acked: true })).toBe(true);
    expect(src.router.held(src.store.m.get('b')!)).toBe(4);
    expect(carrier.router.held(carrier.store.m.get('b')!)).toBe(4);
    // 4 → 2 → 1: the third hand-over from the carrier line leaves a node with a single copy.
    const l2 = up(carrier, other);
    handOver(carrier, l2.ca, other, l2.cb, { stored: true, acked: true });
    expect(other.router.held(other.store.m.get('b')!)).toBe(2);
    const solo = node(4, false);
    const l3 = up(other, solo);
    handOver(other, l3.ca, solo, l3.cb, { stored: true, acked: true });
    expect(solo.router.held(solo.store.m.get('b')!)).toBe(1);
    const stranger = node(6, false);
    const l4 = up(solo, stranger);
    expect(handOver(solo, l4.ca, stranger, l4.cb, { stored: true, acked: true })).toBe(false);
    // The destination gets it, and the carrier of a single-node bundle drops its copy once acknowledged.
    const l5 = up(solo, dest);
    expect(handOver(solo, l5.ca, dest, l5.cb, { stored: true, acked: true })).toBe(true);
    expect(solo.store.has('b')).toBe(false);
  });

  it('Scenario: a peer announcing huge copy counts gets at most L/2 copies minted per hand-over', () => {
    const me = node(1, false);
    const c = contact('dtn://evil/');
    me.router.contactUp(c);
    me.router.onRouting(c, encodeAnnounce('spray', { ids: [], serves: ['dtn://evil/'], table: [['b', 1_000_000]] }));
    me.router.received(c, 'b');
    me.store.m.set('b', { ...bundle('dtn://evil/', GROUP), local: false });
    expect(me.router.held(me.store.m.get('b')!)).toBe(L / 2);
  });

  it('Scenario: a spray announce that is not one is an error and changes nothing', () => {
    const me = node(1, false);
    const c = contact('dtn://peer/');
    me.router.contactUp(c);
    expect(() => me.router.onRouting(c, new Uint8Array([0xff, 0x00]))).toThrow(SummaryError);
    expect(() => me.router.onRouting(c, encodeAnnounce('spray', { ids: [], serves: [], table: [['b', 1.5]] }))).toThrow(SummaryError);
    expect(() => me.router.onRouting(c, encodeAnnounce('prophet', { ids: [], serves: [], table: [] }))).toThrow(SummaryError);
    expect(me.router.offer(c)).toBeUndefined();
  });
});
