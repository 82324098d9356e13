import { EventEmitter } from 'node:events';
import path from 'node:path';
import {
  audienceOf,
  bundleId,
  createBundle,
  decodeBundle,
  dtnToUnixMs,
  encodeBundle,
  isExpired,
  prepareForForward,
  priorityOf,
  ageOf,
  nodeIdOf,
  StatusReason,
  type Audience,
  type Bundle,
  Priority,
} from '../../src/core/dtn/index.ts';
import { nodeEndpoint, routingEndpoint, syncEndpoint } from '../../src/core/protocol/endpoints.ts';
import { PAYLOAD_LIFETIME_MS, PAYLOAD_PRIORITY } from '../../src/core/protocol/priority.ts';
import type { Logger } from '../log.ts';
import { FragmentReassembly } from './reassembly.ts';
import { StatusReporter } from './status-reports.ts';
import { BundleStore, type BundleMeta, type ListFilter } from './store/index.ts';
import { connectTcpcl, listenTcpcl, type TcpclListener, type TcpclSession, type TcpclTlsOptions } from './tcpcl/index.ts';
import { decodeSummary, encodeSummary } from './summary.ts';
import { capExpiry, capPriority } from './received-policy.ts';
import type { Contact, ContactRecord, OriginateOptions } from './contact.ts';

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
}

export type { Contact, ContactRecord, OriginateOptions } from './contact.ts';

/**
 * Transfers a pump keeps unacknowledged per contact (and their bytes), so the peer's storage latency
 * (its journal flush) is paid once per window rather than once per bundle.
 */
const SEND_WINDOW = 64;
const SEND_WINDOW_BYTES = 8 * 1024 * 1024;

export interface DtnNodeEvents {
  /** A bundle addressed to an endpoint this node serves, or to a group it belongs to. */
  deliver: [bundle: Bundle, from: Contact | null];
  /** A bundle for this node's own /sync service (contact sync, never stored). */
  sync: [payload: Uint8Array, contact: Contact, bundle: Bundle];
  up: [contact: Contact];
  down: [contact: Contact];
}

/**
 * The relay's DTN node: custody of bundles in a durable store, TCPCLv4 sessions with peer relays,
 * epidemic routing with summary vectors, sent in priority order on every contact.
 */
export class DtnNode extends EventEmitter<DtnNodeEvents> {
  readonly nodeId: string;
  readonly contacts = new Set<Contact>();
  readonly history: ContactRecord[] = [];
  private listener?: TcpclListener;
  private seq = 0;
  private lastSeqTime = 0;
  private wakeups = new Set<() => void>();
  /** receive() calls waiting for their session to be adopted as a contact. */
  private readonly adoptWaiters = new Set<(c: Contact) => void>();
  /** Each live pump's pass: the priority it is sending now, and whether a more urgent bundle arrived. */
  private readonly passes = new Map<Contact, { priority: Priority; preempted: boolean }>();
  private closed = false;
  private readonly reassembly: FragmentReassembly;
  private readonly reports: StatusReporter;

  private constructor(
    private readonly cfg: DtnConfig,
    readonly store: BundleStore,
    private readonly log: Logger,
  ) {
    super();
    this.nodeId = nodeEndpoint(cfg.nodeName);
    this.reports = new StatusReporter(this.nodeId, (b) => this.carry(b), log);
    this.reassembly = new FragmentReassembly(store, (b, bytes) => this.store.put(this.metaOf(b, bytes.length, Date.now()), bytes), log);
  }

  static async start(cfg: DtnConfig, log: Logger): Promise<DtnNode> {
    const store = await BundleStore.open(path.join(cfg.dataDir, 'bundles'), { byteBudget: cfg.byteBudget, logger: log });
    store.startSweeper(60_000);
    const node = new DtnNode(cfg, store, log);
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
    log.info({ node: node.nodeId, tcpcl: node.listener.port }, 'DTN node listening');
    return node;
  }

  get tcpclPort(): number {
    return this.listener?.port ?? 0;
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
    return [...this.contacts].find((c) => c.peer === peer);
  }

  /** The contact with `peer` once adopted, or undefined if that does not happen within a second. */
  private adopted(peer: string): Promise<Contact | undefined> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.adoptWaiters.delete(onUp);
        resolve(this.contactWith(peer));
      };
      const onUp = (c: Contact): void => {
        if (c.peer === peer) done();
      };
      const timer = setTimeout(done, 1000);
      timer.unref();
      this.adoptWaiters.add(onUp);
    });
  }

  private adopt(session: TcpclSession): Contact {
    const peer = session.peerNodeId ?? '';
    const c: Contact = { session, peer, services: servicesOf(peer), since: Date.now(), peerHas: null, bundlesIn: 0, bundlesOut: 0, unacked: 0 };
    const record: ContactRecord = { peer: c.peer, up: true, since: c.since, bundlesIn: 0, bundlesOut: 0, changesApplied: 0 };
    this.history.push(record);
    if (this.history.length > 50) this.history.shift();
    this.contacts.add(c);
    this.log.info({ peer: c.peer, tls: session.tls !== undefined }, 'contact up');
    session.on('down', (info) => {
      this.contacts.delete(c);
      Object.assign(record, { up: false, until: Date.now(), bundlesIn: c.bundlesIn, bundlesOut: c.bundlesOut });
      this.log.info({ peer: c.peer, cause: info.cause, bundlesIn: c.bundlesIn, bundlesOut: c.bundlesOut }, 'contact down');
      this.wake();
      this.emit('down', c);
    });
    for (const w of [...this.adoptWaiters]) w(c);
    this.emit('up', c);
    // A peer without a dtn:// node ID cannot receive a summary, so epidemic routing has nothing to
    // start from: it keeps its session (and can hand us bundles) but gets no pump.
    if (c.services === undefined) return c;
    void this.sendDirect(c, 'routing', encodeSummary(this.store.ids()));
    this.pump(c, record).catch((err) => this.log.error({ peer: c.peer, err: String(err) }, 'pump stopped'));
    return c;
  }

  recordFor(c: Contact): ContactRecord | undefined {
    return [...this.history].reverse().find((r) => r.peer === c.peer && r.since === c.since);
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
    const bytes = encodeBundle(b);
    const result = await this.store.put({ ...this.metaOf(b, bytes.length, Date.now()), local: true }, bytes);
    if (result !== 'stored' && result !== 'duplicate') throw new Error(`bundle not stored: ${result}`);
    this.wake(priorityOf(b));
    return bundleId(b);
  }

  private metaOf(b: Bundle, size: number, now: number): BundleMeta {
    const p = b.primary;
    const left = p.creationTime !== 0 ? dtnToUnixMs(p.creationTime) + p.lifetimeMs : now + p.lifetimeMs - (ageOf(b) ?? 0);
    // createdAt is when this node took custody: dwell time for the age block is measured from it.
    return { id: bundleId(b), source: p.source, destination: p.destination, priority: priorityOf(b), audience: audienceOf(b), createdAt: now, expiresAt: left, size };
  }

  /** TCPCL onBundle: resolving acknowledges the transfer, so custody must be durable first. */
  private async receive(bytes: Uint8Array, peer: string): Promise<void> {
    // The peer's first bundles (its summary vector, contact sync) can arrive in the same read as its
    // SESS_INIT, before connect() has adopted the session: wait for the contact rather than drop them.
    const c = this.contactWith(peer) ?? (await this.adopted(peer));
    const decoded = decodeBundle(bytes);
    if (!decoded.ok) {
      // Acknowledge and drop: a malformed bundle would only be sent again and again.
      this.deleted(peer, decoded.id, decoded.error.code, decoded.error.message);
      return decoded.primary && this.reports.report(decoded.primary, 'deleted', StatusReason.BlockUnintelligible);
    }
    const b = decoded.bundle;
    if (c) c.bundlesIn++;
    const dest = b.primary.destination;
    if (dest === routingEndpoint(this.nodeId)) return this.onSummary(c, b.payload.data);
    if (dest === syncEndpoint(this.nodeId)) {
      if (c) this.emit('sync', b.payload.data, c, b);
      return;
    }
    const id = bundleId(b);
    c?.peerHas?.add(id);
    const now = Date.now();
    if (audienceOf(b) === 'local') return this.deleted(peer, id, 'local-audience', 'a local bundle does not travel between relays');
    if (isExpired(b, now)) return this.expired(peer, b);
    if (b.primary.fragment && this.reassembly.hasWhole(b)) return; // held whole already: a repeat, not a loss
    // A neighbour's declared priority and lifetime are capped by policy (received-policy.ts).
    const declared = this.metaOf(b, bytes.length, now);
    const meta = { ...declared, priority: capPriority(declared.priority, dest), expiresAt: capExpiry(declared.expiresAt, now) };
    const result = await this.store.put(meta, bytes);
    if (result === 'rejected-full' || result === 'rejected-too-large') throw new Error(`no room for bundle: ${result}`);
    if (result === 'expired') return this.expired(peer, b);
    if (result === 'stored' && b.primary.fragment) {
      // A fragment is never delivered itself (RFC 9171 §5.9): the whole bundle is, once complete.
      void this.reassembly.take(b).then(
        (whole) => whole && this.delivered(whole, c),
        (err) => this.log.warn({ id, err: String(err) }, 'reassembly failed'),
      );
      return;
    }
    if (result === 'stored') {
      // Custody is durable now: acknowledge at once and deliver after, so a slow consumer (applying
      // Automerge changes) never holds up the peer's transfers.
      setImmediate(() => this.delivered(b, c));
      this.wake(meta.priority);
    }
  }

  /** One log line for every bundle this node deletes on arrival, naming it and the reason. */
  private deleted(peer: string, id: string | undefined, reason: string, detail: string): void {
    this.log.warn({ peer, id: id ?? 'unreadable', reason, detail }, 'bundle deleted');
  }

  private expired(peer: string, b: Bundle): void {
    this.deleted(peer, bundleId(b), 'lifetime-expired', 'its lifetime is over');
    this.reports.report(b.primary, 'deleted', StatusReason.LifetimeExpired, b.payload.data.length);
  }

  private delivered(b: Bundle, c: Contact | undefined): void {
    // Delivered in the RFC 9171 sense only when addressed to this node (its own services).
    if (nodeIdOf(b.primary.destination) === this.nodeId) this.reports.report(b.primary, 'delivered', StatusReason.NoInformation, b.payload.data.length);
    this.emit('deliver', b, c ?? null);
    this.wake(priorityOf(b));
  }

  private onSummary(c: Contact | undefined, payload: Uint8Array): void {
    if (!c) return;
    try {
      const ids = decodeSummary(payload);
      c.peerHas = new Set([...ids, ...(c.peerHas ?? [])]);
      this.wake();
    } catch (err) {
      this.log.warn({ peer: c.peer, err: String(err) }, 'bad summary vector');
    }
  }

  /** Wakes idle pumps; a bundle of higher priority than a pass is sending also restarts that pass. */
  private wake(priority?: Priority): void {
    if (priority !== undefined) for (const pass of this.passes.values()) if (priority < pass.priority) pass.preempted = true;
    for (const w of [...this.wakeups]) w();
  }

  private sleep(): Promise<void> {
    return new Promise((resolve) => {
      const w = () => {
        this.wakeups.delete(w);
        resolve();
      };
      this.wakeups.add(w);
    });
  }

  /**
   * Sends the peer, highest priority first, every bundle it lacks; then waits for new ones. The store is
   * sorted once per pass, not once per few sends; a pass restarts early only when a bundle of higher
   * priority than the one being sent arrives. Up to SEND_WINDOW transfers (SEND_WINDOW_BYTES) are in
   * flight at once, queued in send order on the session.
   */
  private async pump(c: Contact, record: ContactRecord): Promise<void> {
    const inflight = new Set<Promise<void>>();
    let inflightBytes = 0;
    const pass = { priority: Priority.Low as Priority, preempted: false };
    this.passes.set(c, pass);
    try {
      while (!this.closed && this.contacts.has(c)) {
        if (c.peerHas === null) {
          await this.sleep();
          continue;
        }
        pass.preempted = false;
        const next = this.store.list(this.toSend(c, c.peerHas));
        if (next.length === 0) {
          await this.sleep();
          // Let a burst of arrivals land before the next pass lists the store again.
          await new Promise((resolve) => setImmediate(resolve));
          continue;
        }
        for (const m of next) {
          if (!this.contacts.has(c) || pass.preempted) break;
          const peerHas: Set<string> = c.peerHas; // a summary may replace the set mid-pass
          if (peerHas.has(m.id) || !this.store.has(m.id)) continue; // arrived from the peer, or gone meanwhile
          pass.priority = m.priority;
          peerHas.add(m.id);
          c.unacked++; // from here until acked it is in neither the peer's summary nor the store's list
          const bytes = await this.outgoing(m);
          if (!bytes) {
            c.unacked--;
            continue;
          }
          inflightBytes += bytes.length;
          const sent = this.transfer(c, m, bytes).then((ok) => {
            if (ok) record.bundlesOut = ++c.bundlesOut;
            c.unacked--;
            inflightBytes -= bytes.length;
            inflight.delete(sent);
          });
          inflight.add(sent);
          while (inflight.size >= SEND_WINDOW || (inflight.size > 0 && inflightBytes >= SEND_WINDOW_BYTES)) await Promise.race(inflight);
        }
        pass.priority = 3;
      }
    } finally {
      this.passes.delete(c);
    }
  }

  /** Bundles the peer lacks and may get from us. */
  private toSend(c: Contact, peerHas: Set<string>): ListFilter {
    return { exclude: peerHas, where: (m) => m.audience !== 'local' && m.source !== c.peer };
  }

  /** The bundle as it leaves this node (age and previous-node blocks updated), or undefined if it may not. */
  private async outgoing(m: BundleMeta): Promise<Uint8Array | undefined> {
    const bytes = await this.store.get(m.id);
    if (!bytes) return undefined;
    const decoded = decodeBundle(bytes);
    if (!decoded.ok) return undefined;
    const now = Date.now();
    const fwd = prepareForForward(decoded.bundle, { localNode: this.nodeId, dwellMs: Math.max(0, now - m.createdAt), nowUnixMs: now });
    if (!fwd.ok) {
      this.log.debug({ id: m.id, reason: fwd.reason }, 'not forwarded');
      return undefined;
    }
    return encodeBundle(fwd.bundle);
  }

  private async transfer(c: Contact, m: BundleMeta, bytes: Uint8Array): Promise<boolean> {
    try {
      await c.session.sendBundle(bytes);
      return true;
    } catch (err) {
      this.log.info({ peer: c.peer, id: m.id, err: String(err) }, 'transfer not acknowledged; it will be sent on the next contact');
      return false;
    }
  }

  status() {
    return {
      node: this.nodeId,
      tcpclPort: this.tcpclPort,
      contacts: [...this.contacts].map((c) => ({
        peer: c.peer,
        // False for a peer with an empty or non-dtn node ID: it has a session but no summary exchange.
        summaries: c.services !== undefined,
        tls: c.session.tls !== undefined,
        authenticated: this.authenticated?.(c) ?? false,
        since: c.since,
        bundlesIn: c.bundlesIn,
        bundlesOut: c.bundlesOut,
        bytesIn: c.session.bytesReceived,
        bytesOut: c.session.bytesSent,
        // Still to hand over on this contact (null until the peer's summary says what it holds).
        pending: c.peerHas ? this.store.count(this.toSend(c, c.peerHas)) + c.unacked : null,
      })),
      lastContact: this.history.at(-1) ?? null,
      peersSeen: [...new Set(this.history.map((h) => h.peer))],
      store: this.store.stats(),
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    this.wake();
    // Every session gets the SESS_TERM handshake, dialled ones too; each is bounded by its close timeout.
    await Promise.all([...this.contacts].map((c) => c.session.close()));
    await this.listener?.close();
    this.store.stopSweeper();
    await this.store.close();
  }
}

/** `dtn://name/` for a peer whose node ID is one like ours, else undefined (empty, ipn:…, other URIs). */
function servicesOf(peer: string): string | undefined {
  return /^dtn:\/\/[A-Za-z0-9][A-Za-z0-9._-]{0,252}\/$/.test(peer) ? peer : undefined;
}
