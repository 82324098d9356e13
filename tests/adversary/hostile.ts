// Hostile neighbours for adversary scenarios: raw TCPCL peers whose every byte the test controls, and
// the checks every scenario ends with (relay alive, status answers, honest phones still sync).
import { createServer, type Server, type Socket } from 'node:net';
import { expect } from 'vitest';
import { createBundle, encodeBundle, type Priority } from '../../src/core/dtn/index.ts';
import { encodeContactHeader, encodeFrame, SegmentFlags, TcpclStreamDecoder, type TcpclFrame } from '../../relay/dtn/tcpcl/index.ts';
import type { RelayProcess } from '../helpers/relay-process.ts';
import type { relaySuite } from '../helpers/relay-suite.ts';
import { RawPeer } from '../relay/tcpcl-helpers.ts';

export interface RelayStatus {
  phones: number;
  dtn: {
    tcpclPort: number;
    contacts: Array<{ peer: string; summaries: boolean; bundlesIn: number }>;
    peersSeen: string[];
    store: { count: number; bytes: number; byteBudget: number; journalBytes: number; state: string; local: { count: number }; refusedFull: { received: number; local: number } };
  };
  replication: { unemitted: number; waiting: number; missing: number; refusedByStore: number };
}

export async function status(r: RelayProcess): Promise<RelayStatus> {
  const res = await fetch(`${r.url}/api/status`);
  expect(res.status).toBe(200);
  return (await res.json()) as RelayStatus;
}

/** The relay process is still running, its status endpoint answers, and no error reached its last-resort handler. */
export async function alive(r: RelayProcess): Promise<RelayStatus> {
  expect(r.child.exitCode, `relay exited:\n${r.logs.slice(-20).join('\n')}`).toBeNull();
  expect(r.child.signalCode).toBeNull();
  // relay/main.ts's last-resort handlers keep a relay up, but reaching one means some path left its own
  // error unhandled: issue #15 asks that every path handle it, the handler being no fix.
  expect(r.logs.filter((l) => l.includes('(relay keeps running)')), 'an error reached the last-resort handler').toEqual([]);
  return status(r);
}

type Suite = ReturnType<typeof relaySuite>;

/**
 * An honest member posts; a second phone on the same relay sees the post, and the post's change-set
 * lands in the relay's bundle store as the island's own data.
 */
export async function honestPhonesSync(suite: Suite, r: RelayProcess, title: string): Promise<void> {
  const before = (await status(r)).dtn.store.local.count;
  // A need: a member nobody has vouched for yet may post one (an offer needs a vouch on the phone).
  const poster = await suite.member(r, `Honest ${title}`);
  await poster.post([{ kind: 'need', category: 'food', title, description: 'posted while a stranger misbehaves' }]);
  const reader = await suite.member(r, `Reader ${title}`);
  await expect.poll(() => reader.titles(), { timeout: 30_000 }).toContain(title);
  await expect.poll(async () => (await status(r)).dtn.store.local.count, { timeout: 30_000 }).toBeGreaterThan(before);
  const s = await alive(r);
  expect(s.replication.refusedByStore).toBe(0);
  // Closed here: a relay's shutdown waits for its phones' sockets, and scenarios restart relays.
  await suite.close(poster);
  await suite.close(reader);
}

/** A contact header + SESS_INIT with `nodeId` from a raw peer that dials the relay; then it idles. */
export async function dialAs(r: RelayProcess, nodeId: string): Promise<RawPeer> {
  const peer = await RawPeer.connect((await status(r)).dtn.tcpclPort);
  const init = await peer.handshake({ nodeId, keepaliveSec: 0 });
  expect(init?.type).toBe('SESS_INIT');
  return peer;
}

/**
 * A TCPCL node at a port of its own that answers every dial with `nodeId` (which our own TCPCL code
 * would not let us use for an empty one) and echoes keepalives.
 */
export async function listenAs(nodeId: string): Promise<{ port: number; dials: () => number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  let dials = 0;
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
    const decoder = new TcpclStreamDecoder({ maxSegmentData: 1 << 20 });
    socket.on('data', (chunk: Uint8Array) => {
      decoder.push(chunk);
      for (let f = decoder.next(); f; f = decoder.next()) answer(socket, f);
    });
  });
  const answer = (socket: Socket, f: TcpclFrame): void => {
    if (f.type === 'CONTACT') socket.write(encodeContactHeader());
    else if (f.type === 'SESS_INIT') {
      dials++;
      socket.write(encodeFrame({ type: 'SESS_INIT', keepaliveSec: 1, segmentMru: 1n << 20n, transferMru: 1n << 24n, nodeId, extensions: [] }));
    } else if (f.type === 'KEEPALIVE') socket.write(encodeFrame({ type: 'KEEPALIVE' }));
  };
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    port,
    dials: () => dials,
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export interface FloodOptions {
  count: number;
  payloadBytes: number;
  /** destinations cycled through */
  destinations: string[];
  priority?: Priority;
  lifetimeMs?: number;
}

/** Hands the relay `count` bundles over `peer` (a handshaken RawPeer); resolves with acks and refusals. */
export async function flood(peer: RawPeer, o: FloodOptions): Promise<{ acked: number; refused: number }> {
  let acked = 0;
  let refused = 0;
  const WINDOW = 16;
  let sent = 0;
  const settle = async (): Promise<void> => {
    const f = await peer.next();
    if (!f) throw new Error('the relay closed the session');
    if (f.type === 'XFER_ACK' && (f.flags & SegmentFlags.END) !== 0) acked++;
    else if (f.type === 'XFER_REFUSE') refused++;
    else if (f.type === 'KEEPALIVE') peer.send({ type: 'KEEPALIVE' });
  };
  for (let i = 0; i < o.count; i++) {
    const payload = new Uint8Array(o.payloadBytes).fill(i & 0xff);
    const b = createBundle({
      source: 'dtn://stranger/',
      destination: o.destinations[i % o.destinations.length],
      payload,
      lifetimeMs: o.lifetimeMs ?? 10 * 365 * 24 * 3600e3,
      priority: o.priority ?? 0,
      audience: 'public',
    });
    peer.send({ type: 'XFER_SEGMENT', flags: SegmentFlags.START | SegmentFlags.END, transferId: BigInt(i + 1), extensions: [], data: encodeBundle(b) });
    sent++;
    while (sent - acked - refused >= WINDOW) await settle();
  }
  while (acked + refused < sent) await settle();
  return { acked, refused };
}
