import { EventEmitter } from 'node:events';
import path from 'node:path';
import { bundleId, createBundle, decodeBundle, encodeBundle, priorityOf, nodeIdOf, StatusReason, type Audience, type Bundle } from '../../src/core/dtn/index.ts';
import { nodeEndpoint, routingEndpoint, syncEndpoint } from '../../src/core/protocol/endpoints.ts';
import { PAYLOAD_LIFETIME_MS, PAYLOAD_PRIORITY } from '../../src/core/protocol/priority.ts';
import type { Logger } from '../log.ts';
import { ContactBook } from './adoption.ts';
import type { Contact, ContactRecord, OriginateOptions } from './contact.ts';
import { Custody, type Taken } from './custody.ts';
import { nodeStatus } from './node-status.ts';
import { Pumps, SEND_WINDOW } from './pump.ts';
import { FragmentReassembly } from './reassembly.ts';
import { DEFAULT_SUMMARY_WAIT_MS, PerPeerRouter, type RouterName, type Scheme } from './routing/per-peer.ts';
import { loadRoutingState, type RoutingState } from './routing/routing-state-file.ts';
import { RoutingStateSaver } from './routing/routing-state-saver.ts';
import type { StaticRoute } from './routing/static-routes.ts';
import { StatusReporter } from './status-reports.ts';
import { BundleStore } from './store/index.ts';
import { connectTcpcl, listenTcpcl, type TcpclListener, type TcpclSession, type TcpclTlsOptions } from './tcpcl/index.ts';

export interface DtnConfig {
  nodeName: string;
  dataDir: string;
  tcpclHost: string;
  tcpclPort: number;
  byteBudget: number;
  hopLimit: number;
  keepaliveSec: number;
  /** TCPCL over TLS 1.3 with peers that offer it (tls-material.ts); plain TCPCL without. */
  tls?: TcpclTlsOptions;
  /**
   * The router for peers that announce (`--route <router>`), static routes (`--route`), schemes fixed
   * per peer (`--routing-for`), the summary wait, and the group endpoints this relay takes delivery for
   * (spray and PRoPHET announce them) (routing/per-peer.ts).
   */
  routing?: { router?: RouterName; routes?: readonly StaticRoute[]; overrides?: ReadonlyMap<string, Scheme>; summaryWaitMs?: number; serves?: () => Iterable<string> };
}

export type { Contact, ContactRecord, OriginateOptions } from './contact.ts';

/** What became of one bundle a phone handed in: in custody now or before, or refused and why. */
export type HandInOutcome = { ok: true; id: string; outcome: 'stored' | 'held' } | { ok: false; id?: string; reason: string };

export interface DtnNodeEvents {
  /** A bundle addressed to an endpoint this node serves, or to a group it belongs to. */
  deliver: [bundle: Bundle, from: Contact | null];
  /** A bundle for this node's own /sync service (contact sync, never stored). */
  sync: [payload: Uint8Array, contact: Contact, bundle: Bundle];
  up: [contact: Contact];
  down: [contact: Contact];
}

/**
 * The relay's DTN node: TCPCLv4 sessions with peer relays (adoption.ts), custody of bundles in a
 * durable store (custody.ts), a routing scheme per contact deciding what it is offered (routing/per-peer.ts:
 * summary vectors with our relays, push to standard BPv7 nodes, static routes, direct delivery) and a pump
 * per contact sending that in priority order (pump.ts).
 */
export class DtnNode extends EventEmitter<DtnNodeEvents> {
  readonly nodeId: string;
  private listener?: TcpclListener;
  private seq = 0;
  private lastSeqTime = 0;
  private readonly book: ContactBook;
  private readonly router: PerPeerRouter;
  private readonly pumps: Pumps;
  private readonly custody: Custody;
  private readonly reassembly: FragmentReassembly;
  private readonly reports: StatusReporter;
  private readonly saver: RoutingStateSaver;

  private constructor(
    private readonly cfg: DtnConfig,
    readonly store: BundleStore,
    private readonly log: Logger,
    saved: RoutingState | undefined,
  ) {
    super();
    this.nodeId = nodeEndpoint(cfg.nodeName);
    this.book = new ContactBook(log);
    this.router = new PerPeerRouter(store, {
      routes: cfg.routing?.routes ?? [],
      overrides: cfg.routing?.overrides ?? new Map(),
      summaryWaitMs: cfg.routing?.summaryWaitMs ?? DEFAULT_SUMMARY_WAIT_MS,
      wake: () => this.pumps.wake(),
      router: cfg.routing?.router,
      nodeId: this.nodeId,
      serves: cfg.routing?.serves,
      send: (c, payload) => void this.sendDirect(c, 'routing', payload),
    });
    if (saved) this.router.restore(saved);
    this.saver = new RoutingStateSaver(cfg.dataDir, this.router, log);
    this.pumps = new Pumps({
      nodeId: this.nodeId,
      store,
      router: this.router,
      log,
      live: (c) => this.book.live.has(c),
      forwarded: (p, payloadLength) => this.reports.report(p, 'forwarded', StatusReason.NoInformation, payloadLength),
    });
    this.reports = new StatusReporter(this.nodeId, (b) => this.carry(b), log);
    // A whole bundle is as authenticated as the least of its fragments: one from an anonymous hop taints it.
    const allProven = (ids: readonly string[]) => ids.length > 0 && ids.every((id) => {
      const m = store.meta(id);
      return m !== undefined && !m.anonymous;
    });
    this.reassembly = new FragmentReassembly(store, (b, bytes, fragments) => this.custody.putWhole(b, bytes, allProven(fragments)), log);
    this.custody = new Custody(store, this.reassembly, this.reports, log, (b) => this.alertFromRaiser?.(b) ?? false, (b) => this.alertUnjudged?.(b) ?? false);
  }

  static async start(cfg: DtnConfig, log: Logger): Promise<DtnNode> {
    const store = await BundleStore.open(path.join(cfg.dataDir, 'bundles'), { byteBudget: cfg.byteBudget, logger: log });
    store.startSweeper(60_000);
    // Push history, spray copy counts and PRoPHET predictabilities from before a restart.
    const node = new DtnNode(cfg, store, log, await loadRoutingState(cfg.dataDir, log));
    node.saver.start();
    await node.reassembly.restore();
    node.listener = await listenTcpcl({
      ...node.sessionOptions(),
      host: cfg.tcpclHost,
      port: cfg.tcpclPort,
      // Adopt only once SESS_INIT is done: before that the peer's node id is unknown.
      onSession: (s) => {
        void s.ready.then(() => node.adopt(s), () => undefined);
        // A peer that never got a session up (bad TLS, bad contact header…) is named in the log, once.
        s.once('down', (info) => s.params === undefined && log.info({ cause: info.cause, err: info.error?.message }, 'TCPCL session ended before it came up'));
      },
    });
    log.info({ node: node.nodeId, tcpcl: node.listener.port, routing: node.router.configured.default }, 'DTN node listening');
    return node;
  }

  get tcpclPort(): number {
    return this.listener?.port ?? 0;
  }

  /** The live contacts. */
  get contacts(): ReadonlySet<Contact> {
    return this.book.live;
  }

  /** Records of the recent contacts, live ones included. */
  get history(): readonly ContactRecord[] {
    return this.book.history;
  }

  private sessionOptions() {
    return {
      nodeId: this.nodeId,
      keepaliveSec: this.cfg.keepaliveSec,
      maxInFlight: SEND_WINDOW,
      tls: this.cfg.tls,
      onBundle: (bytes: Uint8Array, info: { peerNodeId: string }) => this.receive(bytes, info.peerNodeId),
    };
  }

  /** Opens a session to a peer's TCPCL listener; resolves when the contact is up. */
  async connect(host: string, port: number): Promise<Contact> {
    const session = await connectTcpcl({ ...this.sessionOptions(), host, port });
    return this.adopt(session);
  }

  contactWith(peer: string): Contact | undefined {
    return this.book.contactWith(peer);
  }

  recordFor(c: Contact): ContactRecord | undefined {
    return this.book.recordFor(c);
  }

  private adopt(session: TcpclSession): Contact {
    const { contact: c, record } = this.book.adopt(session, (down) => {
      this.router.contactDown(down);
      this.pumps.wake();
      this.emit('down', down);
    });
    this.emit('up', c);
    const plan = this.router.contactUp(c);
    if (plan.announce) void this.sendDirect(c, 'routing', plan.announce);
    if (plan.pump) this.pumps.start(c, record);
    return c;
  }

  private nextSeq(now: number): number {
    if (now !== this.lastSeqTime) {
      this.lastSeqTime = now;
      this.seq = 0;
    }
    return this.seq++;
  }

  /** Whether a contact is one of our communities' relays (peer-trust.ts); set at start. */
  authenticated?: (c: Contact) => boolean;

  /** Whether a received alert bundle's record earns emergency priority (custody.ts); set at start. */
  alertFromRaiser?: (b: Bundle) => boolean;
  /** A real alert whose author this relay cannot judge (AlertRaisers.unjudged). */
  alertUnjudged?: (b: Bundle) => boolean;

  /** Adds this relay's signature to the bundles it originates (see changeset-signature.ts); set by the replicator. */
  signer?: (b: Bundle) => Bundle;

  private build(o: Omit<OriginateOptions, 'audience'> & { audience?: Audience }): Bundle {
    const now = Date.now();
    const b = createBundle({
      source: this.nodeId,
      destination: o.destination,
      payload: o.payload,
      lifetimeMs: o.lifetimeMs,
      creationTimeMs: now,
      sequence: this.nextSeq(now),
      priority: o.priority,
      audience: o.audience ?? 'public',
      hopLimit: this.cfg.hopLimit,
    });
    return this.signer ? this.signer(b) : b;
  }

  /**
   * A bundle to one of the peer's own services ('routing', 'sync') that goes now and is never stored.
   * False, never a rejection, when the peer has no such service or the send fails.
   */
  async sendDirect(c: Contact, service: 'routing' | 'sync', payload: Uint8Array): Promise<boolean> {
    if (c.services === undefined) return false;
    try {
      const destination = service === 'routing' ? routingEndpoint(c.services) : syncEndpoint(c.services);
      const b = this.build({ destination, payload, priority: PAYLOAD_PRIORITY.direct, lifetimeMs: PAYLOAD_LIFETIME_MS.direct, audience: 'local' });
      await c.session.sendBundle(encodeBundle(b));
      return true;
    } catch (err) {
      this.log.debug({ peer: c.peer, err: String(err) }, 'direct bundle not sent');
      return false;
    }
  }

  /** Creates a bundle here, takes custody of it, and offers it to every live contact. */
  async originate(o: OriginateOptions): Promise<string> {
    return this.carry(this.build(o));
  }

  /** Takes custody of a bundle made here and offers it to every live contact. */
  private async carry(b: Bundle): Promise<string> {
    const id = await this.custody.keepOwn(b);
    this.pumps.wake(priorityOf(b));
    return id;
  }

  /** TCPCL onBundle: resolving acknowledges the transfer, so custody must be durable first. */
  private async receive(bytes: Uint8Array, peer: string): Promise<void> {
    // The peer's first bundles (its summary vector, contact sync) can arrive in the same read as its
    // SESS_INIT, before connect() has adopted the session: wait for the contact rather than drop them.
    const c = this.book.contactWith(peer) ?? (await this.book.adopted(peer));
    const decoded = decodeBundle(bytes);
    if (!decoded.ok) {
      // Acknowledge and drop: a malformed bundle would only be sent again and again.
      this.custody.deleted(peer, decoded.id, decoded.error.code, decoded.error.message);
      return decoded.primary && this.reports.report(decoded.primary, 'deleted', StatusReason.BlockUnintelligible);
    }
    const b = decoded.bundle;
    if (c) c.bundlesIn++;
    const dest = b.primary.destination;
    if (dest === routingEndpoint(this.nodeId)) return this.onRouting(c, b.payload.data);
    if (dest === syncEndpoint(this.nodeId)) {
      if (c) this.emit('sync', b.payload.data, c, b);
      return;
    }
    // Only a contact that proved it is one of our communities' relays (TLS, relays list) is authenticated.
    await this.admit(b, bytes, peer, c, c !== undefined && (this.authenticated?.(c) ?? false));
  }

  /**
   * A bundle a phone carried here (relay/carry.ts): the same path as one from a TCPCL neighbour —
   * decoded strictly, judged by custody (received-policy caps, store budget), stored, then delivered
   * (change-sets applied only under a listed relay's signature). `from` names the phone in logs. A
   * full store throws, as it refuses a TCPCL transfer: the phone keeps its copy.
   */
  async handIn(bytes: Uint8Array, from: string): Promise<HandInOutcome> {
    const decoded = decodeBundle(bytes);
    if (!decoded.ok) {
      this.custody.deleted(from, decoded.id, decoded.error.code, decoded.error.message);
      return { ok: false, id: decoded.id, reason: `malformed: ${decoded.error.code}` };
    }
    const b = decoded.bundle;
    const id = bundleId(b);
    // Direct bundles (summaries, contact sync) belong to one TCPCL contact; nothing carries them.
    const dest = b.primary.destination;
    if (dest === routingEndpoint(this.nodeId) || dest === syncEndpoint(this.nodeId)) return { ok: false, id, reason: 'direct-only' };
    // Carrying is for members (carry.ts checks the request's signature and membership): a known hop.
    const taken = await this.admit(b, bytes, from, undefined, true);
    if (taken.kind === 'none') return taken.refused ? { ok: false, id, reason: taken.refused } : { ok: true, id, outcome: 'held' };
    return { ok: true, id, outcome: 'stored' };
  }

  /** Custody of one received data bundle, then (once durable) its delivery. */
  private async admit(b: Bundle, bytes: Uint8Array, peer: string, c: Contact | undefined, authenticated: boolean): Promise<Taken> {
    this.router.received(c, bundleId(b));
    const taken = await this.custody.take(b, bytes, peer, authenticated);
    // Received in the RFC 9171 sense once in custody (a reception report, when the bundle asks for one).
    if (taken.kind === 'fragment' || taken.kind === 'stored') this.reports.report(b.primary, 'received', StatusReason.NoInformation, b.payload.data.length);
    if (taken.kind === 'fragment') {
      void this.reassembly.take(b).then(
        (whole) => whole && this.delivered(whole, c),
        (err) => this.log.warn({ id: bundleId(b), err: String(err) }, 'reassembly failed'),
      );
    } else if (taken.kind === 'stored') {
      // Custody is durable now: acknowledge at once and deliver after, so a slow consumer (applying
      // Automerge changes) never holds up the peer's transfers.
      setImmediate(() => this.delivered(b, c));
      this.pumps.wake(taken.priority);
    }
    return taken;
  }

  private delivered(b: Bundle, c: Contact | undefined): void {
    // Delivered in the RFC 9171 sense only when addressed to this node (its own services).
    if (nodeIdOf(b.primary.destination) === this.nodeId) this.reports.report(b.primary, 'delivered', StatusReason.NoInformation, b.payload.data.length);
    this.emit('deliver', b, c ?? null);
    this.pumps.wake(priorityOf(b));
  }

  private onRouting(c: Contact | undefined, payload: Uint8Array): void {
    if (!c) return;
    try {
      if (this.router.onRouting(c, payload)) this.pumps.wake();
    } catch (err) {
      this.log.warn({ peer: c.peer, err: String(err) }, 'bad routing payload');
    }
  }

  status() {
    return nodeStatus(this, this.book, this.router, this.store);
  }

  async close(): Promise<void> {
    this.pumps.close();
    // Every session gets the SESS_TERM handshake, dialled ones too; each is bounded by its close timeout.
    await Promise.all([...this.book.live].map((c) => c.session.close()));
    await this.listener?.close();
    // After the sessions: their last transfers settled count in what is kept.
    await this.saver.close();
    this.store.stopSweeper();
    await this.store.close();
  }
}
