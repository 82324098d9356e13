import type { Contact } from '../contact.ts';
import type { ListFilter } from '../store/index.ts';

/** What a router wants done when a contact comes up. */
export interface ContactPlan {
  /** Sent at once to the peer's routing service (`<peer>routing`), e.g. a summary vector. */
  announce?: Uint8Array;
  /** Whether a pump hands this peer bundles at all (a router may only receive from some peers). */
  pump: boolean;
}

/** The scheme a router uses for one contact and why (for /api/status). */
export interface RoutingChoice {
  scheme: string;
  why: string;
}

/**
 * A routing scheme for the DTN node (relay/dtn/node.ts): which bundles to offer a peer on a contact,
 * what the peer's routing payloads mean, and what becomes of our copy once one is forwarded. Custody,
 * sessions, the send window and priority order stay in the node and its pump; a router only decides.
 * Epidemic routing with summary vectors (epidemic.ts) and push with per-peer history (push.ts) are
 * chosen per peer by per-peer.ts, which the node runs. All per-contact routing state lives in the router.
 */
export interface Router {
  /** The scheme's name, for logs and measurements. */
  readonly name: string;
  contactUp(c: Contact): ContactPlan;
  contactDown(c: Contact): void;
  /**
   * A bundle for this node's routing endpoint from the peer: true when it changes what to offer (the
   * pumps wake). Throws on a payload it cannot read; the node logs that and carries on.
   */
  onRouting(c: Contact, payload: Uint8Array): boolean;
  /**
   * The bundles to offer the peer now, as a store filter (the store lists them highest priority
   * first), or undefined while the router does not know yet (the pump waits for a wake).
   */
  offer(c: Contact): ListFilter | undefined;
  /** Just before a listed bundle goes to the peer: false skips it (e.g. the peer got it meanwhile). */
  forwarding(c: Contact, id: string): boolean;
  /** A bundle (not a routing or sync one) arrived from the peer: the peer holds it. */
  received(c: Contact | undefined, id: string): void;
  /**
   * A transfer to the peer ended, acknowledged or not. 'delete' gives our copy up (custody handed
   * over, as single-copy schemes do); 'keep' holds it for later contacts, as epidemic routing does.
   */
  forwarded(c: Contact, id: string, acked: boolean): 'keep' | 'delete';
  /** Optional: the scheme this contact is routed by, when a router chooses per peer (per-peer.ts). */
  choice?(c: Contact): RoutingChoice;
}
