import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import {
  connectTcpcl,
  encodeContactHeader,
  encodeFrame,
  listenTcpcl,
  MessageType,
  MsgRejectReason,
  SegmentFlags,
  SessTermReason,
  transferLengthItem,
  XferRefuseReason,
  type DownInfo,
  type ListenOptions,
  type TcpclListener,
} from '../../relay/dtn/tcpcl/index.ts';
import { deferred, RawPeer } from './tcpcl-helpers.ts';
import { cleanupAfterEach } from '../helpers/cleanups.ts';

const cleanups = cleanupAfterEach();

interface Server {
  listener: TcpclListener;
  delivered: Uint8Array[];
  downs: DownInfo[];
  raw(): Promise<RawPeer>;
  /** Resolves with the first session's DownInfo once it went down. */
  firstDown: Promise<DownInfo>;
}

async function server(opts: Partial<ListenOptions> = {}): Promise<Server> {
  const delivered: Uint8Array[] = [];
  const downs: DownInfo[] = [];
  const first = deferred<DownInfo>();
  const listener = await listenTcpcl({
    nodeId: 'dtn://relay-b/',
    onBundle: async (b) => void delivered.push(b),
    onSession: (s) =>
      s.on('down', (d: DownInfo) => {
        downs.push(d);
        first.resolve(downs[0]);
      }),
    ...opts,
  });
  cleanups.push(() => listener.close());
  const raw = async (): Promise<RawPeer> => {
    const peer = await RawPeer.connect(listener.port);
    cleanups.push(() => peer.close());
    return peer;
  };
  return { listener, delivered, downs, raw, firstDown: first.promise };
}

/** The server is still healthy: a real client can exchange a bundle with it. */
async function stillServes(s: Server): Promise<void> {
  const client = await connectTcpcl({ nodeId: 'dtn://probe/', host: '127.0.0.1', port: s.listener.port, onBundle: async () => undefined });
  await client.sendBundle(new Uint8Array([1, 2, 3]));
  await client.close();
  expect(s.delivered.at(-1)).toEqual(new Uint8Array([1, 2, 3]));
}

const bytes = (n: number, fill = 7): Uint8Array => new Uint8Array(n).fill(fill);

/**
 * After a refused transfer the session stays usable: the peer's next transfer (id 1, one segment) is
 * acknowledged in full and is the only bundle the server delivered.
 */
async function nextTransferDelivered(s: Server, peer: RawPeer, data: Uint8Array): Promise<void> {
  peer.send({ type: 'XFER_SEGMENT', flags: 3, transferId: 1n, extensions: [], data });
  expect(await peer.next()).toEqual({ type: 'XFER_ACK', flags: 3, transferId: 1n, ackedLength: BigInt(data.length) });
  expect(s.delivered).toEqual([data]);
}

describe('TCPCLv4 sessions: protocol robustness', () => {
  it('Scenario: wrong magic closes the TCP connection without any reply', async () => {
    const s = await server();
    const peer = await s.raw();
    peer.send(new TextEncoder().encode('GET / HTTP/1.1\r\nHost: x\r\n\r\n'));
    await peer.closed;
    expect(peer.receivedBytes).toBe(0);
    await stillServes(s);
  });

  it('Scenario: an unsupported version gets our contact header, then SESS_TERM Version mismatch', async () => {
    const s = await server();
    const peer = await s.raw();
    peer.send(encodeContactHeader(0, 3));
    expect(await peer.next()).toEqual({ type: 'CONTACT', version: 4, flags: 0 });
    expect(await peer.next()).toEqual({ type: 'SESS_TERM', flags: 0, reason: SessTermReason.VersionMismatch });
    expect(await peer.next()).toBeUndefined();
    await stillServes(s);
  });

  it('Scenario: an active peer answering with another version is closed', async () => {
    const { createServer } = await import('node:net');
    const fake = createServer((sock) => sock.once('data', () => sock.write(encodeContactHeader(0, 3))));
    await new Promise<void>((r) => fake.listen(0, '127.0.0.1', r));
    cleanups.push(() => new Promise<void>((r) => fake.close(() => r())));
    const port = (fake.address() as { port: number }).port;
    await expect(connectTcpcl({ nodeId: 'dtn://a/', host: '127.0.0.1', port, onBundle: async () => undefined })).rejects.toMatchObject({
      code: 'session-ended',
      downCause: 'version-mismatch',
    });
  });

  it.each([
    ['a zero segment MRU', { segmentMru: 0n }],
    ['a node ID that is not a URI', { nodeId: 'no scheme here' }],
  ])('Scenario: SESS_INIT with %s is answered with SESS_TERM Contact Failure', async (_name, init) => {
    const s = await server();
    const peer = await s.raw();
    expect(await peer.handshake(init)).toEqual({ type: 'SESS_TERM', flags: 0, reason: SessTermReason.ContactFailure });
    expect(await peer.next()).toBeUndefined();
    expect(await s.firstDown).toMatchObject({ cause: 'contact-failure', termReason: SessTermReason.ContactFailure });
  });

  it('Scenario: SESS_INIT with an unknown critical session extension is answered with Contact Failure', async () => {
    const s = await server();
    const peer = await s.raw();
    peer.send(encodeContactHeader());
    await peer.next();
    peer.send({ type: 'SESS_INIT', keepaliveSec: 0, segmentMru: 100n, transferMru: 100n, nodeId: 'dtn://raw/', extensions: [{ flags: 1, itemType: 0x7777, value: bytes(2) }] });
    expect(await peer.next()).toEqual({ type: 'SESS_TERM', flags: 0, reason: SessTermReason.ContactFailure });
  });

  it('Scenario: SESS_INIT with a non-UTF-8 node ID is answered with Contact Failure', async () => {
    const s = await server();
    const peer = await s.raw();
    peer.send(encodeContactHeader());
    await peer.next();
    const hex = '07' + '0000' + '0000000000000064' + '0000000000000064' + '0002' + 'c328' + '00000000';
    peer.send(new Uint8Array(hex.match(/../g)!.map((b) => parseInt(b, 16))));
    expect(await peer.next()).toEqual({ type: 'SESS_TERM', flags: 0, reason: SessTermReason.ContactFailure });
  });

  it('Scenario: an unknown message type gets MSG_REJECT Message Type Unknown and the connection closes', async () => {
    const s = await server();
    const peer = await s.raw();
    expect(await peer.handshake()).toMatchObject({ type: 'SESS_INIT', nodeId: 'dtn://relay-b/' });
    peer.send(new Uint8Array([0x2a, 0xff, 0xff]));
    expect(await peer.next()).toEqual({ type: 'MSG_REJECT', reason: MsgRejectReason.TypeUnknown, rejectedHeader: 0x2a });
    expect(await peer.next()).toBeUndefined();
    expect(await s.firstDown).toMatchObject({ cause: 'protocol-error' });
    await stillServes(s);
  });

  it('Scenario: an unexpected message gets MSG_REJECT Message Unexpected and the session continues', async () => {
    const s = await server();
    const peer = await s.raw();
    await peer.handshake();
    peer.send({ type: 'XFER_ACK', flags: 0, transferId: 99n, ackedLength: 1n });
    expect(await peer.next()).toEqual({ type: 'MSG_REJECT', reason: MsgRejectReason.Unexpected, rejectedHeader: MessageType.XFER_ACK });
    peer.send({ type: 'XFER_SEGMENT', flags: SegmentFlags.START | SegmentFlags.END, transferId: 0n, extensions: [], data: bytes(5) });
    expect(await peer.next()).toEqual({ type: 'XFER_ACK', flags: 3, transferId: 0n, ackedLength: 5n });
    expect(s.delivered).toEqual([bytes(5)]);
  });

  it('Scenario: a segment above our segment MRU gets MSG_REJECT Message Unsupported and the connection closes', async () => {
    const s = await server({ segmentMru: 1000 });
    const peer = await s.raw();
    await peer.handshake();
    peer.send({ type: 'XFER_SEGMENT', flags: 3, transferId: 0n, extensions: [], data: bytes(1001) });
    expect(await peer.next()).toEqual({ type: 'MSG_REJECT', reason: MsgRejectReason.Unsupported, rejectedHeader: MessageType.XFER_SEGMENT });
    expect(await peer.next()).toBeUndefined();
    expect(s.delivered).toEqual([]);
  });

  it('Scenario: a transfer whose Transfer Length exceeds our transfer MRU is refused with No Resources; the session stays usable', async () => {
    const s = await server({ transferMru: 1000 });
    const peer = await s.raw();
    await peer.handshake();
    peer.send({ type: 'XFER_SEGMENT', flags: SegmentFlags.START, transferId: 0n, extensions: [transferLengthItem(5000)], data: bytes(500) });
    expect(await peer.next()).toEqual({ type: 'XFER_REFUSE', reason: XferRefuseReason.NoResources, transferId: 0n });
    // A segment that crossed the refusal on the wire is refused again (RFC 9174 §5.2.4).
    peer.send({ type: 'XFER_SEGMENT', flags: SegmentFlags.END, transferId: 0n, extensions: [], data: bytes(500) });
    expect(await peer.next()).toEqual({ type: 'XFER_REFUSE', reason: XferRefuseReason.NoResources, transferId: 0n });
    await nextTransferDelivered(s, peer, bytes(10, 1));
  });

  it('Scenario: a transfer without Transfer Length is refused once its data exceeds our transfer MRU', async () => {
    const s = await server({ transferMru: 1000 });
    const peer = await s.raw();
    await peer.handshake();
    peer.send({ type: 'XFER_SEGMENT', flags: SegmentFlags.START, transferId: 0n, extensions: [], data: bytes(600) });
    expect(await peer.next()).toEqual({ type: 'XFER_ACK', flags: SegmentFlags.START, transferId: 0n, ackedLength: 600n });
    peer.send({ type: 'XFER_SEGMENT', flags: SegmentFlags.END, transferId: 0n, extensions: [], data: bytes(600) });
    expect(await peer.next()).toEqual({ type: 'XFER_REFUSE', reason: XferRefuseReason.NoResources, transferId: 0n });
    await nextTransferDelivered(s, peer, bytes(1000, 2));
  });

  it('Scenario: data disagreeing with Transfer Length is refused with Not Acceptable and not delivered', async () => {
    const s = await server();
    const peer = await s.raw();
    await peer.handshake();
    peer.send({ type: 'XFER_SEGMENT', flags: SegmentFlags.START, transferId: 0n, extensions: [transferLengthItem(100)], data: bytes(50) });
    expect(await peer.next()).toMatchObject({ type: 'XFER_ACK', ackedLength: 50n });
    peer.send({ type: 'XFER_SEGMENT', flags: SegmentFlags.END, transferId: 0n, extensions: [], data: bytes(10) });
    expect(await peer.next()).toEqual({ type: 'XFER_REFUSE', reason: XferRefuseReason.NotAcceptable, transferId: 0n });
    expect(s.delivered).toEqual([]);
  });

  it('Scenario: an unknown critical transfer extension is refused with Extension Failure', async () => {
    const s = await server();
    const peer = await s.raw();
    await peer.handshake();
    peer.send({ type: 'XFER_SEGMENT', flags: 3, transferId: 0n, extensions: [{ flags: 1, itemType: 0x4242, value: bytes(1) }], data: bytes(3) });
    expect(await peer.next()).toEqual({ type: 'XFER_REFUSE', reason: XferRefuseReason.ExtensionFailure, transferId: 0n });
    // Non-critical unknown items are ignored.
    peer.send({ type: 'XFER_SEGMENT', flags: 3, transferId: 1n, extensions: [{ flags: 0, itemType: 0x4242, value: bytes(1) }], data: bytes(3) });
    expect(await peer.next()).toEqual({ type: 'XFER_ACK', flags: 3, transferId: 1n, ackedLength: 3n });
  });

  it('Scenario: a new transfer after SESS_TERM is refused with Session Terminating; the in-flight one completes', async () => {
    const release = deferred();
    const stored: Uint8Array[] = [];
    const s = await server({ onBundle: async (b) => release.promise.then(() => void stored.push(b)) });
    const peer = await s.raw();
    await peer.handshake();
    peer.send({ type: 'XFER_SEGMENT', flags: 3, transferId: 0n, extensions: [], data: bytes(3, 1) });
    peer.send({ type: 'SESS_TERM', flags: 0, reason: SessTermReason.Busy });
    expect(await peer.next()).toEqual({ type: 'SESS_TERM', flags: 1, reason: SessTermReason.Busy });
    // Transfer 0 is still being stored, so the session is Ending but open.
    const refused = new Promise((r) => [...s.listener.sessions][0].once('refused', r));
    peer.send({ type: 'XFER_SEGMENT', flags: 3, transferId: 1n, extensions: [], data: bytes(3, 2) });
    expect(await refused).toEqual({ transferId: 1n, reason: XferRefuseReason.SessionTerminating });
    release.resolve();
    expect(await peer.next()).toEqual({ type: 'XFER_ACK', flags: 3, transferId: 0n, ackedLength: 3n });
    expect(await peer.next()).toEqual({ type: 'XFER_REFUSE', reason: XferRefuseReason.SessionTerminating, transferId: 1n });
    expect(await peer.next()).toBeUndefined();
    expect(stored).toEqual([bytes(3, 1)]);
    expect(await s.firstDown).toMatchObject({ cause: 'peer-close', termReason: SessTermReason.Busy });
  });

  it('Scenario: keepalive timeout ends a silent session with SESS_TERM Idle timeout', async () => {
    const s = await server({ keepaliveSec: 1 });
    const peer = await s.raw();
    const started = Date.now();
    expect(await peer.handshake({ keepaliveSec: 5 })).toMatchObject({ type: 'SESS_INIT', keepaliveSec: 1 });
    // The peer stays silent: the server keeps sending KEEPALIVEs, then gives up after 2 intervals.
    const frames = [];
    for (let f = await peer.next(); f; f = await peer.next()) frames.push(f);
    expect(frames.at(-1)).toEqual({ type: 'SESS_TERM', flags: 0, reason: SessTermReason.IdleTimeout });
    expect(frames.slice(0, -1).every((f) => f.type === 'KEEPALIVE') && frames.length >= 2).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(2000);
    expect(await s.firstDown).toMatchObject({ cause: 'idle-timeout', termReason: SessTermReason.IdleTimeout });
  });

  it('Scenario: keepalives keep an otherwise idle session up', async () => {
    const s = await server({ keepaliveSec: 1 });
    const peer = await s.raw();
    await peer.handshake({ keepaliveSec: 1 });
    // Answer each KEEPALIVE with one of ours; after 3 intervals (> 2x the timeout) the session is still up.
    for (let i = 0; i < 3; i++) {
      expect(await peer.next()).toEqual({ type: 'KEEPALIVE' });
      peer.send({ type: 'KEEPALIVE' });
    }
    expect(s.downs).toEqual([]);
    peer.send({ type: 'XFER_SEGMENT', flags: 3, transferId: 0n, extensions: [], data: bytes(4) });
    expect(await peer.next()).toMatchObject({ type: 'XFER_ACK', ackedLength: 4n });
  });

  it('Scenario: a node whose event loop was busy past the idle timeout reads what the peer sent before judging it silent', async () => {
    const s = await server({ keepaliveSec: 1 });
    const peer = await s.raw();
    await peer.handshake({ keepaliveSec: 1 });
    // The peer's KEEPALIVE is on the wire, then this process is busy (as a relay applying a big
    // contact) for longer than two intervals: the session must read it, not time the peer out.
    peer.send({ type: 'KEEPALIVE' });
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 2_500);
    peer.send({ type: 'XFER_SEGMENT', flags: 3, transferId: 0n, extensions: [], data: bytes(4) });
    let frame = await peer.next();
    while (frame?.type === 'KEEPALIVE') frame = await peer.next();
    expect(frame).toMatchObject({ type: 'XFER_ACK', ackedLength: 4n });
    expect(s.downs).toEqual([]);
  });

  it('Scenario: a silent TCP connection without contact header is closed after the handshake timeout', async () => {
    const s = await server({ handshakeTimeoutMs: 300 });
    const peer = await s.raw();
    await peer.closed;
    expect(peer.receivedBytes).toBe(0);
    expect(await s.firstDown).toMatchObject({ cause: 'handshake-timeout' });
  });

  it('Scenario: a peer pipelining transfers faster than we store them is read only as fast as we store; every bundle is acked in order', async () => {
    // The store is slow (each stored bundle waits for the test), the keepalive is 1 s, and the
    // store is held for longer than two intervals: the session must stop reading, not buffer all
    // the peer's bundles in memory, and must not time the peer out for a silence that is ours.
    const gate: (() => void)[] = [];
    let storing = 0;
    let mostAtOnce = 0;
    const flows: boolean[] = [];
    const s = await server({
      keepaliveSec: 1,
      maxReceivingBytes: 256 * 1024,
      onBundle: (b) =>
        new Promise<void>((resolve) => {
          storing++;
          mostAtOnce = Math.max(mostAtOnce, storing);
          gate.push(() => {
            storing--;
            s.delivered.push(b);
            resolve();
          });
        }),
      onSession: (session) => session.on('flow', (f: { reading: boolean }) => flows.push(f.reading)),
    });
    const peer = await s.raw();
    await peer.handshake({ keepaliveSec: 1 });
    const count = 120;
    const size = 32 * 1024; // 3.75 MiB in all, 15 times the budget
    for (let i = 0; i < count; i++) {
      peer.send({ type: 'XFER_SEGMENT', flags: 3, transferId: BigInt(i), extensions: [], data: bytes(size, i) });
    }
    await expect.poll(() => flows[0]).toBe(false);
    await new Promise((r) => setTimeout(r, 2_500)); // the store stays stuck past the idle timeout
    expect(s.downs).toEqual([]);
    expect(storing * size).toBeLessThanOrEqual(256 * 1024 + 2 * 64 * 1024); // the budget plus one socket read
    const acks: bigint[] = [];
    while (acks.length < count) {
      for (const release of gate.splice(0)) release();
      const frame = await peer.next();
      if (frame?.type === 'XFER_ACK') acks.push(frame.transferId);
      else expect(frame?.type).toBe('KEEPALIVE');
    }
    expect(acks).toEqual(Array.from({ length: count }, (_, i) => BigInt(i)));
    expect(s.delivered.map((b) => b[0])).toEqual(Array.from({ length: count }, (_, i) => i & 0xff));
    expect(mostAtOnce * size).toBeLessThanOrEqual(256 * 1024 + 2 * 64 * 1024);
    expect(flows).toContain(true);
    expect(s.downs).toEqual([]);
  });

  it('Scenario: a peer that sends but never reads our acks is ended with Resource Exhaustion', async () => {
    const s = await server({ maxUnsentBytes: 256 * 1024 });
    const peer = await s.raw();
    await peer.handshake();
    peer.socket.pause(); // it stops reading: the kernel's buffers fill, then our acks would pile up
    const segment = (flags: number) => encodeFrame({ type: 'XFER_SEGMENT', flags, transferId: 0n, extensions: [], data: bytes(1) });
    peer.send(segment(SegmentFlags.START));
    const more = segment(0); // each one-byte segment earns an 18-byte XFER_ACK
    const batch = new Uint8Array(more.length * 10_000);
    for (let i = 0; i < 10_000; i++) batch.set(more, i * more.length);
    let ended = false;
    void s.firstDown.then(() => (ended = true));
    for (let sent = 0; !ended && !peer.socket.destroyed && sent < 1_000; sent++) {
      if (!peer.socket.write(batch)) await Promise.race([once(peer.socket, 'drain').catch(() => undefined), s.firstDown]);
    }
    expect(await s.firstDown).toMatchObject({ cause: 'peer-not-reading', termReason: SessTermReason.ResourceExhaustion });
    await stillServes(s);
  });
});
