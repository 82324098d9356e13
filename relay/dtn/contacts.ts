import { BeaconService } from '../../src/node/beacon-service.ts';
import { DEFAULT_BEACON_PORT } from '../../src/core/protocol/beacon.ts';
import { BridgeSocketSource } from '../contacts/bridge-socket.ts';
import { broadcastAddressOf } from '../contacts/broadcast.ts';
import type { ContactEvent, ContactSource, PeerAddress } from '../../src/core/protocol/contact-event.ts';
import type { RelayConfig } from '../config.ts';
import type { Logger } from '../log.ts';
import type { DtnNode } from './node.ts';

/** The relay options contact sources need; static peers are dialled again every reconnectMs. */
export type ContactConfig = Pick<RelayConfig, 'reconnectMs' | 'beaconPort' | 'beaconIface' | 'beaconTo' | 'beaconIntervalMs' | 'beaconMac' | 'bridgeSocket'> & {
  peers: PeerAddress[];
};

/**
 * Turns every contact source (static peers, UDP beacons, the native bridge) into TCPCL sessions:
 * 'up' opens one unless a session with that peer is live, 'down' closes it.
 */
export class ContactManager {
  private readonly sources: ContactSource[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly dialling = new Set<string>();
  private stopped = false;

  constructor(
    private readonly node: DtnNode,
    private readonly cfg: ContactConfig,
    private readonly log: Logger,
  ) {}

  async start(): Promise<void> {
    for (const p of this.cfg.peers) this.keepDialling(p);
    const beacons = this.beaconService();
    if (beacons) this.sources.push(beacons);
    if (this.cfg.bridgeSocket) this.sources.push(new BridgeSocketSource(this.cfg.bridgeSocket, this.log));
    for (const s of this.sources) {
      s.on('contact', (e) => this.onEvent(e));
      await s.start();
    }
  }

  private beaconService(): BeaconService | undefined {
    if (!this.cfg.beaconPort && !this.cfg.beaconIface && this.cfg.beaconTo.length === 0) return undefined;
    const port = this.cfg.beaconPort ?? DEFAULT_BEACON_PORT;
    const destination = this.cfg.beaconIface ? { broadcast: broadcastAddressOf(this.cfg.beaconIface), port } : { unicast: this.cfg.beaconTo };
    return new BeaconService({
      self: { node: this.node.nodeId, port: this.node.tcpclPort, ...(this.cfg.beaconMac ? { mac: this.cfg.beaconMac } : {}) },
      listenPort: port,
      destination,
      intervalMs: this.cfg.beaconIntervalMs,
      reuseAddr: true,
      logger: this.log,
    });
  }

  private onEvent(e: ContactEvent): void {
    this.log.info({ kind: e.kind, peer: e.peer, source: e.source }, 'contact event');
    if (e.peer === this.node.nodeId) return;
    if (e.kind === 'down') {
      void this.node.contactWith(e.peer)?.session.close();
      return;
    }
    if (e.address && !this.node.contactWith(e.peer)) void this.dial(e.address, e.peer);
  }

  private async dial(a: PeerAddress, peer?: string): Promise<boolean> {
    const key = `${a.host}:${a.port}`;
    if (this.dialling.has(key) || (peer && this.node.contactWith(peer))) return false;
    this.dialling.add(key);
    try {
      const c = await this.node.connect(a.host, a.port);
      await new Promise<void>((resolve) => c.session.once('down', () => resolve()));
      return true;
    } catch (err) {
      this.log.debug({ peer: key, err: String(err) }, 'peer not reachable');
      return false;
    } finally {
      this.dialling.delete(key);
    }
  }

  /** A static peer is dialled whenever no session to it is up: a link that comes back is a contact. */
  private keepDialling(a: PeerAddress): void {
    const attempt = async () => {
      if (this.stopped) return;
      await this.dial(a);
      if (this.stopped) return;
      const t = setTimeout(() => {
        this.timers.delete(t);
        void attempt();
      }, this.cfg.reconnectMs);
      this.timers.add(t);
    };
    void attempt();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    for (const s of this.sources) await s.stop();
  }
}
