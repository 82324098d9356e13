// A standard BPv7 neighbour (as dtn7, µD3TN or ION would be), hand-written on raw TCPCLv4 frames: it
// speaks no summary protocol, acknowledges every transfer, and keeps every bundle the relay hands it.
import { decodeBundle, encodeBundle, createBundle, bundleId, type Bundle, type CreateBundleOptions } from '../../src/core/dtn/index.ts';
import { SegmentFlags } from '../../relay/dtn/tcpcl/index.ts';
import { RawPeer } from '../relay/tcpcl-helpers.ts';

export class StandardNeighbour {
  /** Every well-formed bundle received, in arrival order (the relay's summary and sync bundles too). */
  readonly bundles: Bundle[] = [];
  private readonly parts = new Map<bigint, Uint8Array[]>();
  private readonly waiters = new Set<() => void>();
  private nextTransfer = 1n;
  private readonly acks = new Map<bigint, () => void>();

  private constructor(
    readonly peer: RawPeer,
    readonly nodeId: string,
  ) {
    peer.autoAck = true;
    void this.read();
  }

  /** Dials the relay's TCPCL port (the relay is the passive side). */
  static async dial(tcpclPort: number, nodeId: string): Promise<StandardNeighbour> {
    const peer = await RawPeer.connect(tcpclPort);
    // autoAck before the handshake: the relay may hand over bundles in the same read as its SESS_INIT.
    peer.autoAck = true;
    const init = await peer.handshake({ nodeId, keepaliveSec: 0 });
    if (init?.type !== 'SESS_INIT') throw new Error(`expected SESS_INIT, got ${JSON.stringify(init)}`);
    return new StandardNeighbour(peer, nodeId);
  }

  /** Listens for the relay to dial it (the relay is the active side, via --peer). */
  static async listen(nodeId: string): Promise<{ port: number; neighbour: Promise<StandardNeighbour>; close(): Promise<void> }> {
    const l = await RawPeer.listen();
    const neighbour = l.accepted.then(async (peer) => {
      peer.autoAck = true;
      await peer.answerHandshake(nodeId, 0);
      return new StandardNeighbour(peer, nodeId);
    });
    return { port: l.port, neighbour, close: l.close };
  }

  /** Bundles received for destinations other than the neighbour's own node: what routing handed it. */
  get carried(): Bundle[] {
    const own = this.nodeId.startsWith('dtn://') ? this.nodeId : undefined;
    return this.bundles.filter((b) => !own || !b.primary.destination.startsWith(own));
  }

  ids(bundles: Bundle[] = this.carried): string[] {
    return bundles.map(bundleId);
  }

  /** Resolves once `pred` holds over what arrived, or rejects after `timeoutMs` (or if the session ends). */
  async until(pred: (n: StandardNeighbour) => boolean, timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!pred(this)) {
      if (this.peer.isClosed) throw new Error('the relay closed the session');
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out; received ${this.bundles.map((b) => b.primary.destination).join(', ')}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(done, left);
        function done(): void {
          clearTimeout(t);
          waiters.delete(done);
          resolve();
        }
        const waiters = this.waiters;
        waiters.add(done);
      });
    }
  }

  /** Hands the relay one bundle (its mesh metadata as given, unsealed); resolves when the relay acknowledged all of it. */
  async send(destination: string, payload: Uint8Array, meta: Pick<CreateBundleOptions, 'priority' | 'audience'> = { priority: 2, audience: 'public' }): Promise<string> {
    const b = createBundle({ source: this.nodeId.startsWith('ipn:') ? this.nodeId.replace(/\.0$/, '.1') : `${this.nodeId}out`, destination, payload, lifetimeMs: 3600e3, ...meta });
    const id = this.nextTransfer++;
    const acked = new Promise<void>((resolve) => this.acks.set(id, resolve));
    this.peer.send({ type: 'XFER_SEGMENT', flags: SegmentFlags.START | SegmentFlags.END, transferId: id, extensions: [], data: encodeBundle(b) });
    await acked;
    return bundleId(b);
  }

  close(): void {
    this.peer.close();
  }

  private async read(): Promise<void> {
    for (let f = await this.peer.next(); f; f = await this.peer.next()) {
      if (f.type === 'XFER_SEGMENT') {
        const parts = this.parts.get(f.transferId) ?? [];
        parts.push(f.data);
        this.parts.set(f.transferId, parts);
        if (f.flags & SegmentFlags.END) {
          this.parts.delete(f.transferId);
          const d = decodeBundle(new Uint8Array(Buffer.concat(parts)));
          if (d.ok) this.bundles.push(d.bundle);
        }
      } else if (f.type === 'XFER_ACK' && f.flags & SegmentFlags.END) {
        this.acks.get(f.transferId)?.();
        this.acks.delete(f.transferId);
      } else if (f.type === 'KEEPALIVE') this.peer.send({ type: 'KEEPALIVE' });
      for (const w of [...this.waiters]) w();
    }
    for (const w of [...this.waiters]) w();
  }
}
