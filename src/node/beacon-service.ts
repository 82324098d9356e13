import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { EventEmitter } from 'node:events';
import {
  BEACON_MISSES_BEFORE_DOWN,
  BeaconDecodeError,
  decodeBeacon,
  DEFAULT_BEACON_INTERVAL_MS,
  encodeBeacon,
  type Beacon,
  type BeaconErrorReason,
} from '../core/protocol/beacon.ts';
import { silentLogger, type ContactEvent, type ContactLogger, type ContactSource, type PeerAddress } from '../core/protocol/contact-event.ts';

export interface BeaconSelf {
  node: string;
  port: number;
  mac?: string;
  island?: string;
}

/** Broadcast to one address (SO_BROADCAST), or unicast to a list (tests, static LANs without broadcast). */
export type BeaconDestination = { broadcast: string; port: number } | { unicast: PeerAddress[] };

export interface BeaconServiceOptions {
  self: BeaconSelf;
  /** UDP port to listen on; 0 picks an ephemeral port (tests). */
  listenPort: number;
  listenHost?: string;
  destination: BeaconDestination;
  intervalMs?: number;
  maxPeers?: number;
  /** false = listen only (the bridge service learns the table while the relay sends). */
  send?: boolean;
  /** Several local listeners (relay + bridge) may share the beacon port. */
  reuseAddr?: boolean;
  now?: () => number;
  logger?: ContactLogger;
}

export interface BeaconPeer {
  node: string;
  address: PeerAddress;
  mac?: string;
  island?: string;
  lastHeard: number;
}

export type BeaconStats = Record<BeaconErrorReason | 'own' | 'table-full' | 'accepted', number>;

/**
 * Node-side, shared by the relay (which announces itself and learns its neighbours) and the native
 * bridge (which only listens, to map batman-adv originators to relays).
 *
 * Announces this relay on a LAN/mesh and learns the others. Implements ContactSource: 'up' when a node
 * is first heard, 'down' once it has been silent for 3 intervals. Also a MAC directory for the
 * batman-adv monitor, so an originator can be mapped to a relay address.
 */
export class BeaconService extends EventEmitter implements ContactSource {
  readonly stats: BeaconStats = { oversized: 0, 'not-cbor': 0, 'not-a-map': 0, 'bad-version': 0, 'bad-field': 0, own: 0, 'table-full': 0, accepted: 0 };
  private readonly peerTable = new Map<string, BeaconPeer>();
  private socket?: Socket;
  private timer?: NodeJS.Timeout;
  private readonly intervalMs: number;
  private readonly maxPeers: number;
  private readonly now: () => number;
  private readonly log: ContactLogger;
  private readonly payload: Uint8Array;

  constructor(private readonly opts: BeaconServiceOptions) {
    super();
    this.intervalMs = opts.intervalMs ?? DEFAULT_BEACON_INTERVAL_MS;
    this.maxPeers = opts.maxPeers ?? 256;
    this.now = opts.now ?? Date.now;
    this.log = opts.logger ?? silentLogger;
    this.payload = encodeBeacon({ v: 1, ...opts.self });
  }

  override on(ev: 'contact', fn: (e: ContactEvent) => void): this;
  override on(ev: 'peer', fn: (p: BeaconPeer) => void): this;
  /** Every datagram not accepted, with why (observability and tests). */
  override on(ev: 'dropped', fn: (reason: keyof BeaconStats) => void): this;
  override on(ev: string, fn: (...args: any[]) => void): this {
    return super.on(ev, fn);
  }

  async start(): Promise<void> {
    if (this.socket) return;
    const socket = createSocket({ type: 'udp4', reuseAddr: this.opts.reuseAddr ?? false });
    socket.on('message', (msg, rinfo) => this.receive(msg, rinfo));
    socket.on('error', (err) => this.log.warn({ err: err.message }, 'beacon socket error'));
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(this.opts.listenPort, this.opts.listenHost ?? '0.0.0.0', () => {
        socket.off('error', reject);
        resolve();
      });
    });
    if ('broadcast' in this.opts.destination) socket.setBroadcast(true);
    this.socket = socket;
    this.timer = setInterval(() => this.tick(), this.intervalMs);
    this.timer.unref();
    if (this.opts.send !== false) this.sendNow();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    const s = this.socket;
    this.socket = undefined;
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
  }

  /** The bound UDP port (useful when listenPort was 0). */
  port(): number {
    const s = this.socket;
    if (!s) throw new Error('BeaconService not started');
    return s.address().port;
  }

  peers(): BeaconPeer[] {
    return [...this.peerTable.values()];
  }

  lookupMac(mac: string): BeaconPeer | undefined {
    const m = mac.toLowerCase();
    for (const p of this.peerTable.values()) if (p.mac === m) return p;
    return undefined;
  }

  sendNow(): void {
    const s = this.socket;
    if (!s) return;
    for (const d of this.targets()) {
      s.send(this.payload, d.port, d.host, (err) => {
        if (err) this.log.warn({ err: err.message, to: d }, 'beacon send failed');
      });
    }
  }

  /** Expires silent peers; runs every interval, public so tests can drive it with an injected clock. */
  sweep(): void {
    const cutoff = this.now() - BEACON_MISSES_BEFORE_DOWN * this.intervalMs;
    for (const [node, p] of this.peerTable) {
      if (p.lastHeard >= cutoff) continue;
      this.peerTable.delete(node);
      this.emitContact('down', p);
    }
  }

  private tick(): void {
    this.sweep();
    if (this.opts.send !== false) this.sendNow();
  }

  private targets(): PeerAddress[] {
    const d = this.opts.destination;
    return 'broadcast' in d ? [{ host: d.broadcast, port: d.port }] : d.unicast;
  }

  private receive(msg: Buffer, rinfo: RemoteInfo): void {
    let b: Beacon;
    try {
      b = decodeBeacon(new Uint8Array(msg.buffer, msg.byteOffset, msg.byteLength));
    } catch (e) {
      // decodeBeacon is total; the fallback only guards the socket handler against a library surprise.
      const reason = e instanceof BeaconDecodeError ? e.reason : 'not-cbor';
      this.drop(reason);
      this.log.warn({ from: rinfo.address, reason, err: (e as Error).message }, 'beacon dropped');
      return;
    }
    if (b.node === this.opts.self.node) return this.drop('own');
    this.learn(b, { host: rinfo.address, port: b.port });
  }

  private learn(b: Beacon, address: PeerAddress): void {
    const known = this.peerTable.get(b.node);
    if (!known && this.peerTable.size >= this.maxPeers) {
      this.drop('table-full');
      this.log.warn({ node: b.node, max: this.maxPeers }, 'beacon table full; node ignored');
      return;
    }
    this.stats.accepted++;
    const peer: BeaconPeer = { node: b.node, address, mac: b.mac, island: b.island, lastHeard: this.now() };
    this.peerTable.set(b.node, peer);
    const moved = known && (known.address.host !== address.host || known.address.port !== address.port);
    if (moved) this.emitContact('down', known);
    if (!known || moved) this.emitContact('up', peer);
    if (!known || moved || known.mac !== peer.mac) this.emit('peer', peer);
  }

  private drop(reason: keyof BeaconStats): void {
    this.stats[reason]++;
    this.emit('dropped', reason);
  }

  private emitContact(kind: 'up' | 'down', p: BeaconPeer): void {
    const e: ContactEvent = { kind, peer: p.node, address: p.address, source: 'beacon', at: this.now() };
    this.emit('contact', e);
  }
}
