import type { Contact } from '../contact.ts';
import type { BundleStore, ListFilter } from '../store/index.ts';
import type { ContactPlan, Router } from './router.ts';
import { equalBytes } from '../../../src/core/crypto/bytes.ts';
import { decodeRoutingPayload, type RoutingPayload } from './routing-payload.ts';
import { FIRST_SKETCH_BYTES, FIRST_SYMBOLS, SketchReading, SketchStream, type SketchMessage } from './sketch.ts';
import { encodeSummary } from './summary-vector.ts';

/** What one contact's reconciliation holds: our stream to the peer, our reading of theirs, what was asked. */
interface Reconciling {
  stream?: SketchStream;
  reading?: SketchReading;
  /** We asked the peer for its summary vector (its sketch did not decode): its answer needs no reply. */
  askedSummary: boolean;
  /** We sent the peer our summary vector (it sent one unasked, as relays before sketches do, or asked). */
  sentSummary: boolean;
  /** Our reading of the peer's sketch decoded: it is dropped (about 10 MB at 100,000 bundles), and later symbols are ignored. */
  read?: boolean;
}

export interface EpidemicOptions {
  /** Sends a routing payload to the peer's routing service (a reply: more symbols, a summary). */
  send?: (c: Contact, payload: Uint8Array) => void;
  /** The most symbols of one peer's stream read before asking for its summary vector instead (tests). */
  maxSketchSymbols?: number;
}

/**
 * Epidemic routing: on contact each side learns which of its bundles the other lacks, then offers the
 * other everything it lacks that may travel (not local, not the peer's own), and keeps its copy for the
 * next contact. What the peer lacks is learnt by set reconciliation (sketch.ts: bytes in proportion to
 * the difference); a relay from before sketches sends its whole summary vector instead, and gets ours
 * back. A peer without a `dtn://name/` node ID cannot receive either, so there is nothing to start from:
 * it keeps its session (and can hand us bundles) but gets no pump.
 */
export class EpidemicRouter implements Router {
  readonly name = 'epidemic';
  /**
   * Per contact, what the peer holds: the ids its summary or our reading of its sketch gave, plus
   * everything it sent us or we sent it. Null until known (nothing is offered until then); absent once
   * the contact is down, so a late message cannot keep a gone contact's set alive.
   */
  private readonly peerHas = new Map<Contact, Set<string> | null>();
  private readonly reconciling = new Map<Contact, Reconciling>();

  constructor(
    private readonly store: Pick<BundleStore, 'ids'>,
    private readonly o: EpidemicOptions = {},
  ) {}

  contactUp(c: Contact): ContactPlan {
    this.watch(c);
    if (c.services === undefined) return { pump: false };
    const ids = this.store.ids();
    // A store whose whole list is no bigger than a first sketch sends the list (marked: it reads sketches too).
    // Each id takes at least 2 bytes of the list: a big store is not encoded just to be weighed.
    const list = ids.length <= FIRST_SKETCH_BYTES / 2 ? encodeSummary(ids, true) : undefined;
    if (list && list.length <= FIRST_SKETCH_BYTES) {
      this.reconciling.get(c)!.sentSummary = true;
      return { announce: list, pump: true };
    }
    const stream = new SketchStream(ids);
    this.reconciling.get(c)!.stream = stream;
    return { announce: stream.upTo(FIRST_SYMBOLS), pump: true };
  }

  /**
   * Starts a contact without announcing: another router announces to the peer, and this one stands
   * ready to route it epidemically from what that peer sends back (per-peer.ts).
   */
  watch(c: Contact, announced = false): void {
    this.peerHas.set(c, null);
    this.reconciling.set(c, { askedSummary: false, sentSummary: announced });
  }

  contactDown(c: Contact): void {
    this.peerHas.delete(c);
    this.reconciling.delete(c);
  }

  onRouting(c: Contact, payload: Uint8Array): boolean {
    return this.take(c, decodeRoutingPayload(payload));
  }

  /** Any routing payload, decoded: what it says the peer holds, or a step of reconciliation. */
  take(c: Contact, p: RoutingPayload): boolean {
    return 'ids' in p ? this.heard(c, p.ids, p.kind === 'summary' && !p.sketches) : this.sketch(c, p);
  }

  /**
   * The ids the peer holds, from its summary or any announce that lists them (routing-payload.ts).
   * `owed`: it came from a relay from before sketches, which waits for our summary vector.
   */
  heard(c: Contact, ids: ReadonlySet<string>, owed = true): boolean {
    if (!this.peerHas.has(c)) return false;
    this.peerHas.set(c, new Set([...ids, ...(this.peerHas.get(c) ?? [])]));
    const r = this.reconciling.get(c);
    // A relay from before sketches sent its summary and waits for ours (it could not read our sketch).
    if (owed && r && !r.askedSummary && !r.sentSummary && c.services !== undefined) this.sendSummary(c, r);
    return true;
  }

  /** A sketch message from the peer: its symbols, a request for more of ours, or for our summary vector. */
  sketch(c: Contact, m: SketchMessage): boolean {
    const r = this.reconciling.get(c);
    if (!r) return false;
    if (m.kind === 'summary-please') {
      if (!r.sentSummary) this.sendSummary(c, r);
      return false;
    }
    if (m.kind === 'sketch-more') {
      const more = r.stream && equalBytes(r.stream.salt, m.salt) ? r.stream.upTo(m.upTo) : undefined;
      if (more) this.o.send?.(c, more);
      return false;
    }
    if (r.read) return false;
    if (!r.reading || !equalBytes(r.reading.salt, m.salt)) r.reading = new SketchReading(m.salt, this.store.ids(), m.n, this.o.maxSketchSymbols);
    const reading = r.reading.take(m.from, m.symbols);
    if (reading.state === 'known') {
      Object.assign(r, { read: true, reading: undefined });
      return this.heard(c, reading.peerHas, false);
    }
    if (reading.state === 'give-up') r.askedSummary = true;
    if (reading.state !== 'ignored') this.o.send?.(c, reading.ask);
    return false;
  }

  offer(c: Contact): ListFilter | undefined {
    const has = this.peerHas.get(c);
    if (!has) return undefined;
    return { exclude: has, where: (m) => m.audience !== 'local' && m.source !== c.peer };
  }

  forwarding(c: Contact, id: string): boolean {
    // Looked up afresh: a summary may have replaced the set since the pass listed the store.
    const has = this.peerHas.get(c);
    if (!has || has.has(id)) return false;
    // Counted as held from now on, acknowledged or not: a failed transfer goes on the next contact.
    has.add(id);
    return true;
  }

  received(c: Contact | undefined, id: string): void {
    if (c) this.peerHas.get(c)?.add(id);
  }

  forwarded(_c: Contact, _id: string, _acked: boolean): 'keep' {
    return 'keep';
  }

  private sendSummary(c: Contact, r: Reconciling): void {
    r.sentSummary = true;
    this.o.send?.(c, encodeSummary(this.store.ids(), true));
  }
}
