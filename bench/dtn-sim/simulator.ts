import { Priority } from '../../src/core/protocol/priority.ts';
import type { Contact } from '../../relay/dtn/contact.ts';
import type { Router } from '../../relay/dtn/routing/router.ts';
import type { BundleMeta } from '../../relay/dtn/store/types.ts';
import type { TcpclSession } from '../../relay/dtn/tcpcl/index.ts';
import type { PlannedContact } from './contact-plan.ts';
import { EventQueue } from './event-queue.ts';
import { SimStore } from './sim-store.ts';
import { COMMUNITY_NODE, islandName, type Offered } from './traffic.ts';

export interface RouterContext {
  store: SimStore;
  nodeId: string;
  /** Endpoints the node takes delivery for (node ID and group endpoints, `dtn://x/` form). */
  serves: string[];
  now: () => number;
  /** A routing payload for the peer of contact `c` (a reply during reconciliation), delivered as a message on the session. */
  send: (c: Contact, payload: Uint8Array) => void;
}

export type RouterFactory = (ctx: RouterContext) => Router;

export interface SimConfig {
  islands: number;
  bridges: number;
  span: number;
  contacts: PlannedContact[];
  traffic: Offered[];
  islandBudget: number;
  bridgeBudget: number;
  /** Link rate during a contact, bytes per ms (a Wi-Fi mesh hop). */
  bytesPerMs: number;
  /** Per transfer: session round trip and the receiver's durable write. */
  transferMs: number;
}

export interface SimResult {
  pairs: number;
  delivered: number;
  changeSetPairs: number;
  changeSetsDelivered: number;
  messages: number;
  messagesDelivered: number;
  /** hours from creation to first arrival, per delivered (bundle, island) pair */
  latencies: number[];
  bytesMoved: number;
  routingBytes: number;
  transfers: number;
  peakStoreShare: number;
  meanPeakStoreShare: number;
  evictions: number;
  refusedFull: number;
}

interface SimNode {
  index: number;
  nodeId: string;
  store: SimStore;
  router: Router;
  pumps: Set<Pump>;
}

/** The session is never used by a router; a contact in the simulator has none. */
const NO_SESSION = Object.freeze({}) as TcpclSession;

/**
 * One direction of a live contact, as relay/dtn/pump.ts runs it: list what the router offers (send
 * order), skip what forwarding() refuses, send one bundle at a time at the link rate, and wait for a
 * wake when nothing is left.
 */
interface Pump {
  from: SimNode;
  to: SimNode;
  /** The sender's contact object for the receiver, and the receiver's for the sender. */
  out: Contact;
  in: Contact;
  live: boolean;
  busy: boolean;
  pass: BundleMeta[];
  at: number;
  /** The bundle in flight, so a contact going down can report it unacknowledged. */
  sending?: string;
}

/** Drives the real routers over a contact plan on a simulated clock; one run per router. */
export class Simulator {
  private readonly q = new EventQueue();
  private readonly nodes: SimNode[] = [];
  private readonly firstArrival = new Map<string, number>();
  private readonly r = { bytesMoved: 0, routingBytes: 0, transfers: 0 };
  /** Each live contact object, with the node at its other end and that node's contact object for this side. */
  private readonly peers = new Map<Contact, { to: SimNode; back: Contact }>();

  constructor(
    private readonly cfg: SimConfig,
    factory: RouterFactory,
  ) {
    const now = () => this.q.now;
    for (let i = 0; i < cfg.islands + cfg.bridges; i++) {
      const island = i < cfg.islands;
      const nodeId = island ? `dtn://${islandName(i)}/` : `dtn://bridge-${i - cfg.islands}/`;
      const store = new SimStore(island ? cfg.islandBudget : cfg.bridgeBudget, now);
      const serves = island ? [nodeId, COMMUNITY_NODE] : [nodeId];
      const send = (c: Contact, payload: Uint8Array): void => this.reply(c, payload);
      this.nodes.push({ index: i, nodeId, store, router: factory({ store, nodeId, serves, now, send }), pumps: new Set() });
    }
  }

  run(): SimResult {
    for (const b of this.cfg.traffic) this.q.at(b.createdAt, () => this.originate(b));
    for (const c of this.cfg.contacts) this.q.at(c.from, () => this.contact(c));
    this.q.runUntil(this.cfg.span);
    return this.result();
  }

  private originate(b: Offered): void {
    const node = this.nodes[b.source];
    const meta: BundleMeta = { id: b.id, source: node.nodeId, destination: b.destination, priority: Priority.Normal, audience: 'public', createdAt: b.createdAt, expiresAt: b.createdAt + b.lifetime, size: b.size, local: true };
    if (node.store.put(meta) === 'stored') this.wake(node);
  }

  private contact(plan: PlannedContact): void {
    const a = this.nodes[plan.a];
    const b = this.nodes[plan.b];
    const since = this.q.now;
    const ca: Contact = { session: NO_SESSION, peer: b.nodeId, services: b.nodeId, since, bundlesIn: 0, bundlesOut: 0, unacked: 0 };
    const cb: Contact = { session: NO_SESSION, peer: a.nodeId, services: a.nodeId, since, bundlesIn: 0, bundlesOut: 0, unacked: 0 };
    this.peers.set(ca, { to: b, back: cb });
    this.peers.set(cb, { to: a, back: ca });
    const planA = a.router.contactUp(ca);
    const planB = b.router.contactUp(cb);
    // Announces cross first on the session, before any bundle (as node.ts sends them at adoption).
    if (planA.announce) this.announce(b, cb, planA.announce);
    if (planB.announce) this.announce(a, ca, planB.announce);
    const pumps: Pump[] = [];
    if (planA.pump) pumps.push({ from: a, to: b, out: ca, in: cb, live: true, busy: false, pass: [], at: 0 });
    if (planB.pump) pumps.push({ from: b, to: a, out: cb, in: ca, live: true, busy: false, pass: [], at: 0 });
    for (const p of pumps) p.from.pumps.add(p);
    this.q.at(plan.to, () => {
      for (const p of pumps) {
        p.live = false;
        p.from.pumps.delete(p);
        if (p.sending !== undefined) this.settle(p, p.sending, false);
      }
      a.router.contactDown(ca);
      b.router.contactDown(cb);
      this.peers.delete(ca);
      this.peers.delete(cb);
    });
    for (const p of pumps) this.step(p);
  }

  /** A reply goes after what is running now, on the same simulated instant (a live session's round trip is not modelled). */
  private reply(c: Contact, payload: Uint8Array): void {
    this.q.at(this.q.now, () => {
      const peer = this.peers.get(c);
      if (peer) this.announce(peer.to, peer.back, payload);
    });
  }

  private announce(to: SimNode, c: Contact, payload: Uint8Array): void {
    this.r.routingBytes += payload.length;
    try {
      if (to.router.onRouting(c, payload)) this.wake(to);
    } catch {
      // as node.ts: logged and ignored
    }
  }

  private wake(node: SimNode): void {
    for (const p of node.pumps) if (!p.busy) this.step(p);
  }

  private step(p: Pump): void {
    if (!p.live || p.busy) return;
    const { store } = p.from;
    const offer = p.from.router.offer(p.out);
    if (offer === undefined) return;
    // One listing per pass; a pass that sends nothing ends in a wait for a wake, as the pump's does.
    for (let passes = 0; passes < 2; passes++) {
      if (p.at >= p.pass.length) {
        p.pass = store.list(offer);
        p.at = 0;
        if (p.pass.length === 0) return;
      }
      while (p.at < p.pass.length) {
        const m = p.pass[p.at++];
        if (!store.has(m.id) || !p.from.router.forwarding(p.out, m.id)) continue;
        this.send(p, m);
        return;
      }
    }
  }

  private send(p: Pump, m: BundleMeta): void {
    p.busy = true;
    p.sending = m.id;
    this.q.at(this.q.now + this.cfg.transferMs + m.size / this.cfg.bytesPerMs, () => {
      if (!p.live || p.sending !== m.id) return;
      p.sending = undefined;
      p.busy = false;
      this.r.bytesMoved += m.size;
      this.r.transfers++;
      this.receive(p, m);
      this.settle(p, m.id, true);
      this.step(p);
    });
  }

  private receive(p: Pump, m: BundleMeta): void {
    const to = p.to;
    to.router.received(p.in, m.id);
    const res = to.store.put({ ...m, local: false });
    if (res !== 'stored') return;
    if (to.index < this.cfg.islands) {
      const key = `${m.id}@${to.index}`;
      if (!this.firstArrival.has(key)) this.firstArrival.set(key, this.q.now);
    }
    this.wake(to);
  }

  private settle(p: Pump, id: string, acked: boolean): void {
    p.sending = undefined;
    p.busy = false;
    if (p.from.router.forwarded(p.out, id, acked) === 'delete') p.from.store.delete(id);
  }

  private result(): SimResult {
    let pairs = 0;
    let delivered = 0;
    let csPairs = 0;
    let csDelivered = 0;
    let msgs = 0;
    let msgsDelivered = 0;
    const latencies: number[] = [];
    for (const b of this.cfg.traffic) {
      const isMsg = b.id.startsWith('msg-');
      for (const i of b.to) {
        pairs++;
        if (isMsg) msgs++;
        else csPairs++;
        const at = this.firstArrival.get(`${b.id}@${i}`);
        if (at === undefined) continue;
        delivered++;
        if (isMsg) msgsDelivered++;
        else csDelivered++;
        latencies.push((at - b.createdAt) / 3600_000);
      }
    }
    const shares = this.nodes.map((n) => n.store.peakBytes / n.store.byteBudget);
    return {
      pairs,
      delivered,
      changeSetPairs: csPairs,
      changeSetsDelivered: csDelivered,
      messages: msgs,
      messagesDelivered: msgsDelivered,
      latencies,
      bytesMoved: this.r.bytesMoved,
      routingBytes: this.r.routingBytes,
      transfers: this.r.transfers,
      peakStoreShare: Math.max(...shares),
      meanPeakStoreShare: shares.reduce((s, x) => s + x, 0) / shares.length,
      evictions: this.nodes.reduce((s, n) => s + n.store.evictions, 0),
      refusedFull: this.nodes.reduce((s, n) => s + n.store.refusedFull, 0),
    };
  }
}
