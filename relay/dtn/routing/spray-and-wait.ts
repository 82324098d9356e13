import type { Contact } from '../contact.ts';
import type { BundleMeta, BundleStore, ListFilter } from '../store/index.ts';
import { deliversTo, isGroupDestination } from './destination.ts';
import { decodeAnnounce, encodeAnnounce, validCopies, type RoutingAnnounce } from './routing-announce.ts';
import type { ContactPlan, Router } from './router.ts';

/** Copies of each bundle this node originates (L = 8, issue #19.5; measured in bench/dtn-routing.ts). */
export const SPRAY_COPIES = 8;

export interface SprayOptions {
  /** This node's ID (`dtn://name/`), as its TCPCL sessions give it. */
  nodeId: string;
  /**
   * Endpoints this node takes delivery for: its communities' group endpoints (its node ID is added).
   * A function is asked again on every contact (a relay joins communities while it runs).
   */
  serves: readonly string[] | (() => Iterable<string>);
  copies?: number;
  /** Clock (unix ms); the simulator passes its own. */
  now?: () => number;
}

/** Copy counts kept at most, in memory and in the routing state file (one per stored bundle at most). */
export const MAX_COUNTS = 200_000;

/** What survives a restart (routing-state-file.ts): each count, and since when local bundles start with L. */
export interface SprayState {
  startedAt: number;
  /** [bundle id, copies held, destination] */
  counts: Array<[string, number, string]>;
}

/** A contact's state: what we announced to it (copy counts), and once it arrives, the peer's announce. */
interface PeerState {
  /** The peer's node ID. */
  id: string;
  told: Map<string, number>;
  peer?: RoutingAnnounce & { has: Set<string> };
}

/**
 * Binary spray-and-wait (Spyropoulos et al. 2005): a bundle starts with L copies at its source; a node
 * holding n > 1 hands a peer floor(n/2) and keeps the rest; a node holding 1 hands it only to a
 * destination. Copies are never created: on any doubt a hand-over gives the receiver fewer copies than
 * the sender gave up, so copies may be lost, never minted.
 *
 * Where the count lives: in this router's state, not in a bundle extension block — the pump and the
 * codec stay untouched and the count never leaves the two relays involved. Each side announces on
 * contact up the count of every bundle it holds more than one copy of; a hand-over of an announced
 * bundle gives floor(a/2) of the announced count a (the sender skips it if its count changed since),
 * one of a bundle not announced (it arrived during the contact), none to a destination (a delivery).
 * Counts survive a restart through snapshot() / restore() (the relay keeps them in its data dir); a
 * node that starts without them gives bundles it received before no copies (they wait for a
 * destination), and none to the ones it originated before either: copies lost, never minted.
 */
export class SprayAndWaitRouter implements Router {
  readonly name = 'spray-and-wait';
  readonly copiesPerBundle: number;
  private readonly nodeId: string;
  private serves: Set<string>;
  private readonly servesOf: () => Iterable<string>;
  private startedAt: number;
  /** Per bundle id once seen in the store: copies held, and where it goes. */
  private readonly counts = new Map<string, { n: number; destination: string }>();
  /**
   * Copies received but not yet counted: received() comes before the store has the bundle, and an
   * unannounced one is worth one copy or none depending on its destination, known only from the store.
   */
  private readonly credit = new Map<string, { announced: number; unannounced: number }>();
  private readonly peers = new Map<Contact, PeerState>();

  constructor(
    private readonly store: Pick<BundleStore, 'list' | 'has'>,
    o: SprayOptions,
  ) {
    this.copiesPerBundle = o.copies ?? SPRAY_COPIES;
    if (!Number.isInteger(this.copiesPerBundle) || this.copiesPerBundle < 1) throw new RangeError('copies must be a positive integer');
    this.nodeId = o.nodeId;
    const serves = o.serves;
    this.servesOf = typeof serves === 'function' ? serves : () => serves;
    this.serves = new Set([o.nodeId, ...this.servesOf()]);
    this.startedAt = (o.now ?? Date.now)();
  }

  /** The counts to keep across a restart (bounded). */
  snapshot(): SprayState {
    const counts: SprayState['counts'] = [];
    for (const [id, e] of this.counts) {
      if (counts.length >= MAX_COUNTS) break;
      counts.push([id, e.n, e.destination]);
    }
    return { startedAt: this.startedAt, counts };
  }

  /**
   * Counts from before a restart. A count is never raised past L, and the first run's start is kept,
   * so bundles this node made before the restart and never counted still start with L copies.
   */
  restore(s: SprayState): void {
    this.startedAt = Math.min(this.startedAt, s.startedAt);
    for (const [id, n, destination] of s.counts.slice(0, MAX_COUNTS)) this.counts.set(id, { n: Math.min(n, this.copiesPerBundle), destination });
  }

  /** Copies this node holds of a bundle in its store (0: it only waits to meet a destination). */
  held(m: BundleMeta): number {
    let e = this.counts.get(m.id);
    if (e === undefined) {
      e = { n: m.local && m.createdAt >= this.startedAt ? this.copiesPerBundle : 0, destination: m.destination };
      // Past the bound (a store of more bundles than that) a bundle is not counted, so never sprayed: it waits.
      if (this.counts.size < MAX_COUNTS) this.counts.set(m.id, e);
    }
    const cr = this.credit.get(m.id);
    if (cr) {
      this.credit.delete(m.id);
      // Judged as the sender judged it from our announce (deliversTo), or the counts would disagree.
      e.n += cr.announced + (deliversTo(this.nodeId, this.serves, m.destination) ? 0 : cr.unannounced);
    }
    return e.n;
  }

  contactUp(c: Contact): ContactPlan {
    // Forget bundles the store no longer holds (evicted, expired, handed over): their copies are gone.
    for (const id of this.counts.keys()) if (!this.store.has(id)) this.counts.delete(id);
    for (const id of this.credit.keys()) if (!this.store.has(id)) this.credit.delete(id);
    this.serves = new Set([this.nodeId, ...this.servesOf()]);
    const list = this.store.list();
    const told = new Map<string, number>();
    for (const m of list) {
      const n = this.held(m);
      if (n > 1) told.set(m.id, n);
    }
    this.peers.set(c, { id: c.peer, told });
    if (c.services === undefined) return { pump: false };
    return { announce: encodeAnnounce('spray', { ids: list.map((m) => m.id), serves: [...this.serves], table: told }), pump: true };
  }

  contactDown(c: Contact): void {
    this.peers.delete(c);
  }

  onRouting(c: Contact, payload: Uint8Array): boolean {
    return this.heard(c, decodeAnnounce('spray', payload, validCopies));
  }

  /** The peer's announce, already decoded and checked (routing-payload.ts). */
  heard(c: Contact, a: RoutingAnnounce): boolean {
    const s = this.peers.get(c);
    if (!s) return false;
    s.peer = { ...a, has: new Set([...a.ids, ...(s.peer?.has ?? [])]) };
    return true;
  }

  offer(c: Contact): ListFilter | undefined {
    const s = this.peers.get(c);
    if (!s?.peer) return undefined;
    const peer = s.peer;
    return {
      exclude: peer.has,
      // The same decision forwarding() takes: a bundle listed here and refused there would be listed
      // again on every pass of the pump, which would never sleep.
      where: (m) => m.audience !== 'local' && m.source !== c.peer && (this.held(m), this.give(s, m.id) !== undefined),
    };
  }

  /** Copies a hand-over of `id` to this contact's peer would give it now, or undefined if it may not go. */
  private give(s: PeerState, id: string): number | undefined {
    const e = this.counts.get(id);
    if (!s.peer || !e) return undefined;
    const told = s.told.get(id);
    if (told !== undefined) return e.n === told ? Math.floor(told / 2) : undefined; // changed since the announce: the peer would count wrongly
    if (deliversTo(s.id, s.peer.serves, e.destination)) return 0;
    return e.n > 1 ? 1 : undefined;
  }

  forwarding(c: Contact, id: string): boolean {
    const s = this.peers.get(c);
    const e = this.counts.get(id);
    if (!s?.peer || !e || s.peer.has.has(id)) return false;
    const give = this.give(s, id);
    if (give === undefined) return false;
    // Given up now, acknowledged or not: a failed transfer loses copies rather than doubling them.
    e.n -= give;
    s.peer.has.add(id);
    return true;
  }

  received(c: Contact | undefined, id: string): void {
    const s = c && this.peers.get(c);
    if (!s) return;
    s.peer?.has.add(id);
    // Not in the store now: any count we kept for it is of copies evicted or handed over since.
    if (!this.store.has(id)) this.counts.delete(id);
    const cr = this.credit.get(id) ?? { announced: 0, unannounced: 0 };
    const announced = s.peer?.table.get(id);
    // A hostile peer announcing huge counts mints at most L/2 copies per hand-over.
    if (announced !== undefined) cr.announced += Math.min(Math.floor(announced / 2), Math.floor(this.copiesPerBundle / 2));
    else cr.unannounced += 1;
    this.credit.set(id, cr);
  }

  forwarded(c: Contact, id: string, acked: boolean): 'keep' | 'delete' {
    const s = this.peers.get(c);
    const e = this.counts.get(id);
    if (!acked || !e || !s?.peer) return 'keep';
    // A single-destination bundle handed to its destination has arrived: our copy has no more use.
    if (!isGroupDestination(e.destination) && deliversTo(s.id, s.peer.serves, e.destination)) {
      this.counts.delete(id);
      return 'delete';
    }
    return 'keep';
  }
}
