import type { Contact } from '../contact.ts';
import type { BundleMeta, BundleStore, ListFilter } from '../store/index.ts';
import { livesOn } from './endpoint-node.ts';
import { EpidemicRouter } from './epidemic.ts';
import { ProphetRouter } from './prophet.ts';
import { PushRouter } from './push.ts';
import type { ContactPlan, Router, RoutingChoice } from './router.ts';
import type { RoutingState } from './routing-state-file.ts';
import { decodeRoutingPayload } from './routing-payload.ts';
import { SprayAndWaitRouter } from './spray-and-wait.ts';
import { StaticRoutes, type StaticRoute } from './static-routes.ts';

/**
 * The schemes a peer can be routed by: `summary` (epidemic with summary vectors, our relays), `push`
 * (epidemic with per-peer history, any standard BPv7 node), `direct` (only bundles for the peer's own
 * node, and those a static route sends it), `spray` (binary spray-and-wait) and `prophet` (PRoPHET),
 * the last two only with relays that announce the same router.
 */
export const SCHEMES = ['summary', 'push', 'direct', 'spray', 'prophet'] as const;
export type Scheme = (typeof SCHEMES)[number];

/** The routers `--route <router>` chooses for peers that announce (our relays); epidemic by default. */
export const ROUTERS = ['epidemic', 'spray', 'prophet'] as const;
export type RouterName = (typeof ROUTERS)[number];
/** How many predictabilities /api/status lists: enough to read, bounded whatever peers announced. */
const STATUS_PREDICTABILITIES = 50;

const SCHEME_OF: Record<RouterName, Scheme> = { epidemic: 'summary', spray: 'spray', prophet: 'prophet' };

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
  /** `--route <router>`: how peers that announce are routed; epidemic when absent. */
  router?: RouterName;
  /** This node's ID, and the group endpoints it takes delivery for (asked on each contact): spray and PRoPHET announce them. */
  nodeId?: string;
  serves?: () => Iterable<string>;
  /** Sends a routing payload to a peer's routing service (epidemic's replies during reconciliation). */
  send?: (c: Contact, payload: Uint8Array) => void;
}

interface PeerState extends RoutingChoice {
  scheme: Scheme | 'deciding';
  /** What this peer is routed by once it announces the same router (else epidemic with it). */
  intended: Scheme;
  timer?: NodeJS.Timeout;
}

/**
 * Chooses a routing scheme per peer by what it speaks (issue #19): a `dtn://` peer that announces within
 * summaryWaitMs of contact is routed by this relay's router (`--route`: epidemic with summary vectors,
 * spray-and-wait or PRoPHET) when it announces the same one, epidemically from the ids in its announce
 * when it runs another; any other peer (no announce, an ipn: or empty node ID) by push, so a standard
 * BPv7 neighbour receives our change-sets. Config can fix a peer's scheme. On top of every scheme: a
 * bundle whose destination node is the peer may always go to it (direct delivery), and a bundle a static
 * route names goes only to the route's peer. The routers are the ones bench/dtn-routing.ts simulates.
 */
export class PerPeerRouter implements Router {
  readonly name = 'per-peer';
  private readonly summary: EpidemicRouter;
  private readonly push: PushRouter;
  private readonly spray: SprayAndWaitRouter;
  private readonly prophet: ProphetRouter;
  /** Which of spray / PRoPHET this relay uses at all: only those keep (and save) state. */
  private readonly uses: ReadonlySet<Scheme>;
  private readonly routes: StaticRoutes;
  private readonly peers = new Map<Contact, PeerState>();
  /** The scheme each contact was last routed by, kept after it ends: transfers settle after contactDown. */
  private readonly routedBy = new WeakMap<Contact, Scheme>();
  private changed = false;

  constructor(
    store: Pick<BundleStore, 'ids' | 'has' | 'list'>,
    private readonly o: PerPeerOptions,
  ) {
    this.summary = new EpidemicRouter(store, { send: o.send });
    this.push = new PushRouter(store);
    const nodeId = o.nodeId ?? 'dtn://unnamed/';
    const serves = o.serves ?? (() => []);
    this.spray = new SprayAndWaitRouter(store, { nodeId, serves });
    this.prophet = new ProphetRouter(store, { nodeId, serves });
    this.uses = new Set([SCHEME_OF[o.router ?? 'epidemic'], ...o.overrides.values()]);
    this.routes = new StaticRoutes(o.routes);
  }

  contactUp(c: Contact): ContactPlan {
    this.changed = true;
    const fixed = this.o.overrides.get(c.peer);
    const intended = fixed ?? (c.services === undefined ? 'push' : SCHEME_OF[this.o.router ?? 'epidemic']);
    this.push.contactUp(c);
    // One announce per contact, of the router we mean to use; every kind lists our ids, so a relay
    // running another router routes us epidemically from it. Push and direct peers still get our
    // summary: a relay of ours waits for it before it sends us anything.
    let announce: Uint8Array | undefined;
    if (intended === 'spray' || intended === 'prophet') {
      this.summary.watch(c, true); // the announce lists our ids: no summary is owed
      announce = (intended === 'spray' ? this.spray : this.prophet).contactUp(c).announce;
    } else announce = this.summary.contactUp(c).announce;
    if (fixed && (fixed === 'push' || fixed === 'direct')) this.peers.set(c, { scheme: fixed, intended, why: 'configured' });
    else if (c.services === undefined) this.peers.set(c, { scheme: 'push', intended: 'push', why: 'its node ID takes no announce' });
    else {
      const state: PeerState = { scheme: 'deciding', intended, why: 'waiting for its announce' };
      state.timer = setTimeout(() => {
        if (state.scheme !== 'deciding' || !this.peers.has(c)) return;
        Object.assign(state, { scheme: 'push', why: state.intended === 'summary' ? 'sent no summary' : 'sent no announce', timer: undefined });
        this.o.wake();
      }, this.o.summaryWaitMs);
      state.timer.unref();
      this.peers.set(c, state);
    }
    return { ...(announce ? { announce } : {}), pump: true };
  }

  contactDown(c: Contact): void {
    this.changed = true;
    clearTimeout(this.peers.get(c)?.timer);
    this.peers.delete(c);
    this.summary.contactDown(c);
    this.push.contactDown(c);
    this.spray.contactDown(c);
    this.prophet.contactDown(c);
  }

  onRouting(c: Contact, payload: Uint8Array): boolean {
    const p = decodeRoutingPayload(payload);
    let changed = this.summary.take(c, p);
    const state = this.peers.get(c);
    if (!state) return changed;
    this.changed = true;
    if (p.kind === 'spray' && state.intended === 'spray') changed = this.spray.heard(c, p) || changed;
    if (p.kind === 'prophet' && state.intended === 'prophet') changed = this.prophet.heard(c, p) || changed;
    if (state.why === 'configured' && (state.scheme === 'push' || state.scheme === 'direct')) return changed;
    // An announce, even a late one, shows the peer speaks it: its router if it is ours, else epidemic.
    const announced = p.kind === 'spray' || p.kind === 'prophet' ? p.kind : 'epidemic';
    const said = announced !== 'epidemic' ? `${announced} announce` : p.kind === 'summary' ? 'summary' : 'sketch';
    const next: RoutingChoice =
      (state.intended === 'spray' || state.intended === 'prophet') && announced !== state.intended
        ? { scheme: 'summary', why: `it routes by ${announced}, not ${state.intended}: epidemic with it` }
        : { scheme: state.intended === 'push' ? 'summary' : state.intended, why: this.o.overrides.has(c.peer) ? 'configured' : `sent its ${said}` };
    if (next.scheme === state.scheme && next.why === state.why) return changed;
    clearTimeout(state.timer);
    Object.assign(state, next, { timer: undefined });
    return true;
  }

  offer(c: Contact): ListFilter | undefined {
    switch (this.peers.get(c)?.scheme) {
      case 'summary':
        return this.restrict(c, this.summary.offer(c), false);
      case 'push':
        return this.restrict(c, this.push.offer(c), false);
      case 'direct':
        return this.restrict(c, this.push.offer(c), true);
      case 'spray':
        return this.restrict(c, this.spray.offer(c), false);
      case 'prophet':
        return this.restrict(c, this.prophet.offer(c), false);
      default:
        return undefined;
    }
  }

  forwarding(c: Contact, id: string): boolean {
    const scheme = this.peers.get(c)?.scheme;
    if (scheme === undefined || scheme === 'deciding') return false;
    this.changed = true;
    this.routedBy.set(c, scheme);
    return this.schemeRouter(scheme).forwarding(c, id);
  }

  received(c: Contact | undefined, id: string): void {
    this.changed = true;
    this.summary.received(c, id);
    this.push.received(c, id);
    if (this.uses.has('spray')) this.spray.received(c, id);
    if (this.uses.has('prophet')) this.prophet.received(c, id);
  }

  forwarded(c: Contact, id: string, acked: boolean): 'keep' | 'delete' {
    this.changed = true;
    this.push.forwarded(c, id, acked);
    const scheme = this.routedBy.get(c);
    // Single-copy hand-overs (spray and PRoPHET to a bundle's one destination) give our copy up.
    if (scheme === 'spray' || scheme === 'prophet') return this.schemeRouter(scheme).forwarded(c, id, acked);
    return 'keep';
  }

  choice(c: Contact): RoutingChoice {
    const s = this.peers.get(c);
    return s ? { scheme: s.scheme, why: s.why } : { scheme: 'none', why: 'contact ended' };
  }

  /** What status shows of the configuration. */
  get configured(): { default: RouterName; routes: readonly StaticRoute[]; overrides: Record<string, Scheme>; summaryWaitMs: number } {
    return { default: this.o.router ?? 'epidemic', routes: this.routes.routes, overrides: Object.fromEntries(this.o.overrides), summaryWaitMs: this.o.summaryWaitMs };
  }

  /** What PRoPHET has learnt (the highest delivery predictabilities), when this relay uses it. */
  predictabilities(): Record<string, number> | undefined {
    return this.uses.has('prophet') ? this.prophet.highest(STATUS_PREDICTABILITIES) : undefined;
  }

  /** True once, after anything a snapshot holds may have changed (the node then saves it). */
  takeChanged(): boolean {
    const was = this.changed;
    this.changed = false;
    return was;
  }

  /** What survives a restart: push history, and spray counts / PRoPHET table when this relay uses them. */
  snapshot(): RoutingState {
    return {
      push: this.push.history.snapshot(),
      ...(this.uses.has('spray') ? { spray: this.spray.snapshot() } : {}),
      ...(this.uses.has('prophet') ? { prophet: this.prophet.snapshot() } : {}),
    };
  }

  restore(s: RoutingState): void {
    this.push.history.restore(s.push);
    if (s.spray && this.uses.has('spray')) this.spray.restore(s.spray);
    if (s.prophet && this.uses.has('prophet')) this.prophet.restore(s.prophet);
  }

  private schemeRouter(scheme: Scheme): Router {
    switch (scheme) {
      case 'summary':
        return this.summary;
      case 'spray':
        return this.spray;
      case 'prophet':
        return this.prophet;
      default:
        return this.push;
    }
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
