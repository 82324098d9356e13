import type { Contact } from '../contact.ts';
import type { BundleStore, ListFilter } from '../store/index.ts';
import type { ContactPlan, Router } from './router.ts';
import { decodeSummary, encodeSummary } from './summary-vector.ts';

/**
 * Epidemic routing with summary vectors: on contact each side sends the ids of the bundles it holds,
 * then offers the other everything it lacks that may travel (not local, not the peer's own), and keeps
 * its copy for the next contact. A peer without a `dtn://name/` node ID cannot receive a summary, so
 * there is nothing to start from: it keeps its session (and can hand us bundles) but gets no pump.
 */
export class EpidemicRouter implements Router {
  readonly name = 'epidemic';
  /**
   * Per contact, what the peer holds: its summary vector plus everything it sent us or we sent it.
   * Null until its summary arrives (nothing is offered until then); absent once the contact is down, so
   * a late summary cannot keep a gone contact's set alive.
   */
  private readonly peerHas = new Map<Contact, Set<string> | null>();

  constructor(private readonly store: Pick<BundleStore, 'ids'>) {}

  contactUp(c: Contact): ContactPlan {
    this.peerHas.set(c, null);
    if (c.services === undefined) return { pump: false };
    return { announce: encodeSummary(this.store.ids()), pump: true };
  }

  /**
   * Starts a contact without announcing: another router announces to the peer, and this one stands
   * ready to route it epidemically from the ids that peer announces back (per-peer.ts).
   */
  watch(c: Contact): void {
    this.peerHas.set(c, null);
  }

  contactDown(c: Contact): void {
    this.peerHas.delete(c);
  }

  onRouting(c: Contact, payload: Uint8Array): boolean {
    return this.heard(c, decodeSummary(payload));
  }

  /** The ids the peer holds, from its summary or any announce that lists them (routing-payload.ts). */
  heard(c: Contact, ids: ReadonlySet<string>): boolean {
    if (!this.peerHas.has(c)) return false;
    this.peerHas.set(c, new Set([...ids, ...(this.peerHas.get(c) ?? [])]));
    return true;
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
}
