import type { Contact } from '../contact.ts';
import type { BundleStore, ListFilter } from '../store/index.ts';
import { deliversTo, endpointKey, isGroupDestination } from './destination.ts';
import { PredictabilityTable, PROPHET_PARAMS, type ProphetParams } from './predictability.ts';
import { decodeAnnounce, encodeAnnounce, validPredictability, type RoutingAnnounce } from './routing-announce.ts';
import type { ContactPlan, Router } from './router.ts';

export interface ProphetOptions {
  /** This node's ID (`dtn://name/`). */
  nodeId: string;
  /** Endpoints this node takes delivery for: its communities' group endpoints (a function is asked on every contact). */
  serves: readonly string[] | (() => Iterable<string>);
  params?: ProphetParams;
  /** Clock (unix ms); the simulator passes its own. */
  now?: () => number;
}

/**
 * PRoPHET (RFC 6693) with the GRTR forwarding strategy: each node keeps a delivery predictability per
 * endpoint (predictability.ts), raised when it meets a node serving that endpoint, aged with time, and
 * learnt transitively from the tables peers announce. A bundle goes to a peer that serves its
 * destination, or whose predictability for it is greater than ours; the copy is kept (GRTR is
 * multi-copy) until handed to a single-node destination.
 *
 * A community's group endpoint counts as met whenever a node serving it is met, so "P for the
 * community" reads as "how likely I am to meet one of its relays". A member's own predictability for
 * its community comes from meeting other members, not from being one, so it still passes change-sets
 * on to carriers that meet members more often than it does.
 */
export class ProphetRouter implements Router {
  readonly name = 'prophet';
  private readonly table: PredictabilityTable;
  private readonly servesOf: () => Iterable<string>;
  private readonly nodeId: string;
  private readonly own: Set<string>;
  private readonly now: () => number;
  /** Per contact, once its announce arrives: what it holds, serves and predicts, and which of our bundles it is the destination of. */
  private readonly peers = new Map<Contact, (RoutingAnnounce & { has: Set<string>; deliveries: Set<string> }) | null>();

  constructor(
    private readonly store: Pick<BundleStore, 'ids'>,
    o: ProphetOptions,
  ) {
    this.now = o.now ?? Date.now;
    this.table = new PredictabilityTable(o.params ?? PROPHET_PARAMS, this.now());
    const serves = o.serves;
    this.servesOf = typeof serves === 'function' ? serves : () => serves;
    this.nodeId = o.nodeId;
    this.own = new Set([o.nodeId]);
  }

  /** This node's delivery predictability for an endpoint (a node ID or a group's `dtn://group/`). */
  predictability(endpoint: string): number {
    return this.table.get(endpoint);
  }

  /** The `n` highest predictabilities, aged to now and rounded, for an operator's status page. */
  highest(n: number): Record<string, number> {
    this.table.age(this.now());
    const top = [...this.table.entries()].sort((x, y) => y[1] - x[1]).slice(0, n);
    return Object.fromEntries(top.map(([k, v]) => [k, Math.round(v * 1000) / 1000]));
  }

  /** The table to keep across a restart (routing-state-file.ts). */
  snapshot(): ReturnType<PredictabilityTable['snapshot']> {
    return this.table.snapshot();
  }

  restore(s: Parameters<PredictabilityTable['restore']>[0]): void {
    this.table.restore(s);
  }

  contactUp(c: Contact): ContactPlan {
    this.peers.set(c, null);
    this.table.age(this.now());
    if (c.peer !== '') this.table.encounter(c.peer);
    if (c.services === undefined) return { pump: false };
    const serves = [...new Set([this.nodeId, ...this.servesOf()])];
    return { announce: encodeAnnounce('prophet', { ids: this.store.ids(), serves, table: this.table.entries() }), pump: true };
  }

  contactDown(c: Contact): void {
    this.peers.delete(c);
  }

  onRouting(c: Contact, payload: Uint8Array): boolean {
    return this.heard(c, decodeAnnounce('prophet', payload, validPredictability));
  }

  /** The peer's announce, already decoded and checked (routing-payload.ts). */
  heard(c: Contact, a: RoutingAnnounce): boolean {
    if (!this.peers.has(c)) return false;
    this.table.age(this.now());
    for (const e of a.serves) if (e !== c.peer && !this.own.has(e)) this.table.encounter(e);
    this.table.learn(c.peer, a.table, this.own);
    const before = this.peers.get(c);
    this.peers.set(c, { ...a, has: new Set([...a.ids, ...(before?.has ?? [])]), deliveries: before?.deliveries ?? new Set() });
    return true;
  }

  offer(c: Contact): ListFilter | undefined {
    const peer = this.peers.get(c);
    if (!peer) return undefined;
    return {
      exclude: peer.has,
      where: (m) => {
        if (m.audience === 'local' || m.source === c.peer) return false;
        const dest = endpointKey(m.destination);
        if (deliversTo(c.peer, peer.serves, m.destination)) {
          if (!isGroupDestination(m.destination)) peer.deliveries.add(m.id);
          return true;
        }
        // GRTR: only to a peer more likely than us to meet the destination.
        return (peer.table.get(dest) ?? 0) > this.table.get(dest);
      },
    };
  }

  forwarding(c: Contact, id: string): boolean {
    const peer = this.peers.get(c);
    if (!peer || peer.has.has(id)) return false;
    peer.has.add(id);
    return true;
  }

  received(c: Contact | undefined, id: string): void {
    if (c) this.peers.get(c)?.has.add(id);
  }

  forwarded(c: Contact, id: string, acked: boolean): 'keep' | 'delete' {
    // A single-node destination acknowledged it: it has arrived, our copy has no more use.
    return acked && this.peers.get(c)?.deliveries.has(id) ? 'delete' : 'keep';
  }
}
