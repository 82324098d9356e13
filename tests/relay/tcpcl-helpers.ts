// Test helpers: a scripted raw TCPCL peer built on the codec, and small utilities.
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { connect, createServer, type Socket } from 'node:net';
import {
  encodeContactHeader,
  encodeFrame,
  TcpclStreamDecoder,
  type TcpclFrame,
  type TcpclMessage,
  type TcpclSession,
  type DownInfo,
} from '../../relay/dtn/tcpcl/index.ts';

/** A peer whose every byte the test controls; frames it receives are queued for assertions. */
export class RawPeer {
  readonly received: TcpclFrame[] = [];
  readonly closed: Promise<void>;
  receivedBytes = 0;
  private readonly decoder = new TcpclStreamDecoder({ maxSegmentData: 64 * 1024 * 1024 });
  private waiter: (() => void) | undefined;
  private ended = false;
  /** When set, every incoming transfer segment is acknowledged at once (a well-behaved receiver). */
  autoAck = false;
  private readonly ackedBytes = new Map<bigint, bigint>();

  private constructor(readonly socket: Socket) {
    socket.on('data', (chunk: Uint8Array) => {
      this.receivedBytes += chunk.length;
      this.decoder.push(chunk);
      for (let f = this.decoder.next(); f; f = this.decoder.next()) {
        if (this.autoAck && f.type === 'XFER_SEGMENT') this.ack(f);
        this.received.push(f);
      }
      this.waiter?.();
    });
    socket.on('error', () => undefined);
    // Not events.once: it rejects on 'error' (a reset), and the close that follows is what we wait for.
    this.closed = new Promise<void>((resolve) =>
      socket.once('close', () => {
        this.ended = true;
        this.waiter?.();
        resolve();
      }),
    );
  }

  static async connect(port: number): Promise<RawPeer> {
    const socket = connect({ host: '127.0.0.1', port });
    await once(socket, 'connect');
    return new RawPeer(socket);
  }

  send(bytes: Uint8Array | TcpclMessage): void {
    this.socket.write(bytes instanceof Uint8Array ? bytes : encodeFrame(bytes));
  }

  private ack(seg: Extract<TcpclFrame, { type: 'XFER_SEGMENT' }>): void {
    const acked = (this.ackedBytes.get(seg.transferId) ?? 0n) + BigInt(seg.data.length);
    this.ackedBytes.set(seg.transferId, acked);
    this.send({ type: 'XFER_ACK', flags: seg.flags, transferId: seg.transferId, ackedLength: acked });
  }

  /** Next frame from the peer, or undefined if the connection closed first. */
  async next(): Promise<TcpclFrame | undefined> {
    for (;;) {
      const f = this.received.shift();
      if (f) return f;
      if (this.ended) return undefined;
      await new Promise<void>((resolve) => (this.waiter = resolve));
      this.waiter = undefined;
    }
  }

  /** Active-side contact header + SESS_INIT exchange; returns the peer's SESS_INIT. */
  async handshake(init: Partial<{ keepaliveSec: number; segmentMru: bigint; transferMru: bigint; nodeId: string }> = {}): Promise<TcpclFrame | undefined> {
    this.send(encodeContactHeader());
    const contact = await this.next();
    if (contact?.type !== 'CONTACT') throw new Error(`expected contact header, got ${JSON.stringify(contact)}`);
    this.send({
      type: 'SESS_INIT',
      keepaliveSec: init.keepaliveSec ?? 0,
      segmentMru: init.segmentMru ?? 1n << 20n,
      transferMru: init.transferMru ?? 1n << 30n,
      nodeId: init.nodeId ?? 'dtn://raw/',
      extensions: [],
    });
    return this.next();
  }

  /**
   * A TCPCL listener whose one accepted connection the test drives (the relay as active side).
   * `accepted` resolves with the peer for the first connection.
   */
  static async listen(): Promise<{ port: number; accepted: Promise<RawPeer>; close(): Promise<void> }> {
    let accept!: (p: RawPeer) => void;
    const accepted = new Promise<RawPeer>((resolve) => (accept = resolve));
    const sockets = new Set<Socket>();
    const server = createServer((socket) => {
      sockets.add(socket);
      accept(new RawPeer(socket));
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const port = (server.address() as { port: number }).port;
    const close = async (): Promise<void> => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    };
    return { port, accepted, close };
  }

  /** Passive-side contact header + SESS_INIT exchange; returns the dialler's SESS_INIT. */
  async answerHandshake(nodeId = 'dtn://raw/', keepaliveSec = 0): Promise<TcpclFrame | undefined> {
    const contact = await this.next();
    if (contact?.type !== 'CONTACT') throw new Error(`expected contact header, got ${JSON.stringify(contact)}`);
    this.send(encodeContactHeader());
    const init = await this.next();
    if (init?.type !== 'SESS_INIT') throw new Error(`expected SESS_INIT, got ${JSON.stringify(init)}`);
    this.send({ type: 'SESS_INIT', keepaliveSec, segmentMru: 1n << 20n, transferMru: 1n << 30n, nodeId, extensions: [] });
    return init;
  }

  /** Frames up to and including the first one of `type`, or undefined if the connection closed first. */
  async nextOfType<T extends TcpclFrame['type']>(type: T): Promise<Extract<TcpclFrame, { type: T }> | undefined> {
    for (let f = await this.next(); f; f = await this.next()) if (f.type === type) return f as Extract<TcpclFrame, { type: T }>;
    return undefined;
  }

  /** True once the other side closed or reset the connection. */
  get isClosed(): boolean {
    return this.ended;
  }

  close(): void {
    this.socket.destroy();
  }
}

export function nextDown(session: TcpclSession): Promise<DownInfo> {
  return new Promise((resolve) => session.once('down', resolve));
}

/** Deterministic pseudo-random bytes (xorshift32) so failures reproduce. */
export function pseudoRandomBytes(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed | 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

export function deferred<T = void>(): { promise: Promise<T>; resolve: (v: T) => void; reject: (e: Error) => void } {
  let resolve!: (v: T) => void;
  let reject!: (e: Error) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Digests instead of deep-equal on large byte arrays (vitest compares element by element). */
export function digests(list: Uint8Array[]): string[] {
  return list.map((b) => `${createHash('sha256').update(b).digest('hex')}:${b.length}`);
}
