import type { Contact } from '../contact.ts';
import type { BundleMeta, BundleStore, ListFilter } from '../store/index.ts';
import { livesOn } from './endpoint-node.ts';
import { EpidemicRouter } from './epidemic.ts';
import { PushRouter } from './push.ts';
import type { ContactPlan, Router, RoutingChoice } from './router.ts';
import { StaticRoutes, type StaticRoute } from './static-routes.ts';

/**
 * The schemes a peer can be routed by: `summary` (epidemic with summary vectors, our relays), `push`
 * (epidemic with per-peer history, any standard BPv7 node), `direct` (only bundles for the peer's own
 * node, and those a static route sends it).
 */
export const SCHEMES = ['summary', 'push', 'direct'] as const;
export type Scheme = (typeof SCHEMES)[number];

/** How long a `dtn://` peer has to send its summary vector before it is routed by push. */
export const DEFAULT_SUMMARY_WAIT_MS = 2000;

export interface PerPeerOptions {
  /** `--route`: destinations held for one peer. */
  routes: readonly StaticRoute[];
  /** `--routing-for`: the scheme for a peer node ID, whatever it speaks. */
  overrides: ReadonlyMap<string, Scheme>;
  summaryWaitMs: number;
  /** Wakes the pumps: a peer's scheme was decided (its pump waits until then). */
  wake: () => void;
}

interface PeerState extends RoutingChoice {
  scheme: Scheme | 'deciding';
  timer?: NodeJS.Timeout;
}

/**
 * Chooses a routing scheme per peer by what it speaks (issue #19): a `dtn://` peer that sends our
 * summary vector within summaryWaitMs of contact is routed by summaries; any other peer (no summary,
 * an ipn: or empty node ID) by push, so a standard BPv7 neighbour receives our change-sets. Config can
 * fix a peer's scheme. On top of every scheme: a bundle whose destination node is the peer may always
 * go to it (direct delivery), and a bundle a static route names goes only to the route's peer.
 */
export class PerPeerRouter implements Router {
  readonly name = 'per-peer';
  private readonly summary: EpidemicRouter;
  private readonly push: PushRouter;
  private readonly routes: StaticRoutes;
  private readonly peers = new Map<Contact, PeerState>();

  constructor(
    store: Pick<BundleStore, 'ids' | 'has'>,
    private readonly o: PerPeerOptions,
  ) {
    this.summary = new EpidemicRouter(store);
    this.push = new PushRouter(store);
    this.routes = new StaticRoutes(o.routes);
  }

  contactUp(c: Contact): ContactPlan {
    // Our summary goes to every peer that has a routing service, whatever we route it by: a relay of
    // ours waits for it before it sends us anything.
    const plan = this.summary.contactUp(c);
    this.push.contactUp(c);
    const fixed = this.o.overrides.get(c.peer);
    if (fixed) this.peers.set(c, { scheme: fixed, why: 'configured' });
    else if (c.services === undefined) this.peers.set(c, { scheme: 'push', why: 'its node ID takes no summary' });
    else {
      const state: PeerState = { scheme: 'deciding', why: 'waiting for its summary' };
      state.timer = setTimeout(() => {
        if (state.scheme !== 'deciding' || !this.peers.has(c)) return;
        Object.assign(state, { scheme: 'push', why: 'sent no summary', timer: undefined });
        this.o.wake();
      }, this.o.summaryWaitMs);
      state.timer.unref();
      this.peers.set(c, state);
    }
    return { ...(plan.announce ? { announce: plan.announce } : {}), pump: true };
  }

  contactDown(c: Contact): void {
    clearTimeout(this.peers.get(c)?.timer);
    this.peers.delete(c);
    this.summary.contactDown(c);
    this.push.contactDown(c);
  }

  onRouting(c: Contact, payload: Uint8Array): boolean {
    const changed = this.summary.onRouting(c, payload);
    const state = this.peers.get(c);
    // A summary, even a late one, shows the peer speaks it (unless config says otherwise).
    if (state && state.why !== 'configured' && state.scheme !== 'summary') {
      clearTimeout(state.timer);
      Object.assign(state, { scheme: 'summary', why: 'sent its summary', timer: undefined });
      return true;
    }
    return changed;
  }

  offer(c: Contact): ListFilter | undefined {
    switch (this.peers.get(c)?.scheme) {
      case 'summary':
        return this.restrict(c, this.summary.offer(c), false);
      case 'push':
        return this.restrict(c, this.push.offer(c), false);
      case 'direct':
        return this.restrict(c, this.push.offer(c), true);
      default:
        return undefined;
    }
  }

  forwarding(c: Contact, id: string): boolean {
    const scheme = this.peers.get(c)?.scheme;
    if (scheme === 'summary') return this.summary.forwarding(c, id);
    if (scheme === 'push' || scheme === 'direct') return this.push.forwarding(c, id);
    return false;
  }

  received(c: Contact | undefined, id: string): void {
    this.summary.received(c, id);
    this.push.received(c, id);
  }

  forwarded(c: Contact, id: string, acked: boolean): 'keep' {
    this.push.forwarded(c, id, acked);
    return 'keep';
  }

  choice(c: Contact): RoutingChoice {
    const s = this.peers.get(c);
    return s ? { scheme: s.scheme, why: s.why } : { scheme: 'none', why: 'contact ended' };
  }

  /** What status shows of the configuration. */
  get configured(): { routes: readonly StaticRoute[]; overrides: Record<string, Scheme>; summaryWaitMs: number } {
    return { routes: this.routes.routes, overrides: Object.fromEntries(this.o.overrides), summaryWaitMs: this.o.summaryWaitMs };
  }

  /** The scheme's filter, narrowed by direct delivery and static routes. */
  private restrict(c: Contact, f: ListFilter | undefined, directOnly: boolean): ListFilter | undefined {
    if (!f) return undefined;
    const inner = f.where;
    return { ...f, where: (m) => (inner === undefined || inner(m)) && this.allowed(c, m, directOnly) };
  }

  private allowed(c: Contact, m: BundleMeta, directOnly: boolean): boolean {
    if (livesOn(m.destination, c.peer)) return true;
    const via = this.routes.via(m.destination);
    if (via !== undefined) return via === c.peer;
    return !directOnly;
  }
}
