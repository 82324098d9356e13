import { describe, expect, it } from 'vitest';
import {
  connectTcpcl,
  listenTcpcl,
  SessTermReason,
  TcpclSessionEndedError,
  TcpclTransferRefusedError,
  TcpclTransferTooLargeError,
  XferRefuseReason,
  type BundleInfo,
  type ListenOptions,
  type ProgressInfo,
  type TcpclListener,
  type TcpclSession,
} from '../../relay/dtn/tcpcl/index.ts';
import { deferred, digests, nextDown, pseudoRandomBytes } from './tcpcl-helpers.ts';
import { cleanupAfterEach } from '../helpers/cleanups.ts';

const cleanups = cleanupAfterEach();

interface Pair {
  listener: TcpclListener;
  client: TcpclSession;
  server: TcpclSession;
  toServer: Uint8Array[];
  toClient: Uint8Array[];
}

async function pair(
  serverOpts: Partial<ListenOptions> = {},
  clientOpts: Partial<ListenOptions> = {},
): Promise<Pair> {
  const toServer: Uint8Array[] = [];
  const toClient: Uint8Array[] = [];
  const serverSession = deferred<TcpclSession>();
  const listener = await listenTcpcl({
    nodeId: 'dtn://relay-b/',
    onBundle: async (b) => void toServer.push(b),
    onSession: (s) => s.once('up', () => serverSession.resolve(s)),
    ...serverOpts,
  });
  cleanups.push(() => listener.close());
  const client = await connectTcpcl({
    nodeId: 'dtn://relay-a/',
    host: '127.0.0.1',
    port: listener.port,
    onBundle: async (b) => void toClient.push(b),
    ...clientOpts,
  });
  cleanups.push(() => client.close());
  return { listener, client, server: await serverSession.promise, toServer, toClient };
}

describe('TCPCLv4 sessions: transfers', () => {
  it('Scenario: many bundles of random sizes round-trip in both directions, in order', async () => {
    const p = await pair({ segmentMru: 4096 }, { segmentMru: 3000 });
    const sizes = [0, 1, 2999, 3000, 3001, 4096, 4097, 50_000, 0, 123_457];
    for (let i = 0; i < 40; i++) sizes.push(Math.floor(pseudoRandomBytes(3, i + 7).reduce((a, b) => a * 256 + b, 0) % 20_000));
    const aToB = sizes.map((n, i) => pseudoRandomBytes(n, 1000 + i));
    const bToA = sizes.map((n, i) => pseudoRandomBytes(n, 5000 + i)).reverse();
    await Promise.all([...aToB.map((b) => p.client.sendBundle(b)), ...bToA.map((b) => p.server.sendBundle(b))]);
    expect(digests(p.toServer)).toEqual(digests(aToB));
    expect(digests(p.toClient)).toEqual(digests(bToA));
    expect(p.client.peerNodeId).toBe('dtn://relay-b/');
    expect(p.server.peerNodeId).toBe('dtn://relay-a/');
    // Counters see every TCPCL byte: after a clean close both ends agree exactly.
    const serverDown = nextDown(p.server);
    await p.client.close();
    await serverDown;
    expect(p.client.bytesSent).toBe(p.server.bytesReceived);
    expect(p.server.bytesSent).toBe(p.client.bytesReceived);
    const payload = [...aToB, ...bToA].reduce((n, b) => n + b.length, 0);
    expect(p.client.bytesSent + p.server.bytesSent).toBeGreaterThan(payload);
  });

  it('Scenario: keepalive is the minimum offered and segments respect the peer segment MRU', async () => {
    const p = await pair({ keepaliveSec: 30, segmentMru: 5000 }, { keepaliveSec: 10, segmentMru: 1000 });
    expect(p.client.params).toEqual({ keepaliveSec: 10, peerSegmentMru: 5000, peerTransferMru: 16 * 1024 * 1024 });
    expect(p.server.params).toEqual({ keepaliveSec: 10, peerSegmentMru: 1000, peerTransferMru: 16 * 1024 * 1024 });
    const steps = (s: TcpclSession): number[] => {
      const seen: number[] = [];
      let last = 0;
      s.on('progress', (i: ProgressInfo) => {
        if (i.direction !== 'in') return;
        seen.push(i.bytes - last);
        last = i.bytes === i.totalBytes ? 0 : i.bytes;
      });
      return seen;
    };
    const intoClient = steps(p.client);
    const intoServer = steps(p.server);
    await p.server.sendBundle(pseudoRandomBytes(10_500, 1));
    await p.client.sendBundle(pseudoRandomBytes(10_500, 2));
    expect(intoClient).toEqual([...Array(10).fill(1000), 500]);
    expect(intoServer).toEqual([5000, 5000, 500]);
  });

  it('Scenario: a bundle larger than the peer transfer MRU is not started; the session stays usable', async () => {
    const p = await pair({ transferMru: 1000 });
    const before = p.client.bytesSent;
    await expect(p.client.sendBundle(new Uint8Array(1001))).rejects.toBeInstanceOf(TcpclTransferTooLargeError);
    expect(p.client.bytesSent).toBe(before);
    await p.client.sendBundle(new Uint8Array(1000).fill(9));
    expect(p.toServer).toEqual([new Uint8Array(1000).fill(9)]);
  });

  it('Scenario: onBundle failure refuses the transfer with No Resources; the next one succeeds', async () => {
    let fail = true;
    const stored: Uint8Array[] = [];
    const p = await pair({
      onBundle: async (b) => {
        if (fail) throw new Error('disk full');
        stored.push(b);
      },
    });
    const err = await p.client.sendBundle(pseudoRandomBytes(200_000, 3)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TcpclTransferRefusedError);
    expect(err).toMatchObject({ reason: XferRefuseReason.NoResources, transferId: 0n });
    fail = false;
    await p.client.sendBundle(pseudoRandomBytes(10, 4));
    expect(stored).toEqual([pseudoRandomBytes(10, 4)]);
  });

  it('Scenario: the final acknowledgement waits for onBundle, so the sender resolves only after storage', async () => {
    const release = deferred();
    const called = deferred<BundleInfo>();
    const log: string[] = [];
    const p = await pair({
      onBundle: async (_b, info) => {
        log.push('onBundle');
        called.resolve(info);
        await release.promise;
        log.push('stored');
      },
    });
    const sending = p.client.sendBundle(pseudoRandomBytes(300_000, 5)).then(() => log.push('acked'));
    const info = await called.promise;
    expect(info).toEqual({ transferId: 0n, peerNodeId: 'dtn://relay-a/' });
    // The session is live meanwhile: a transfer the other way completes while ours waits.
    await p.server.sendBundle(pseudoRandomBytes(70_000, 6));
    expect(p.toClient).toHaveLength(1);
    expect(log).toEqual(['onBundle']);
    release.resolve();
    await sending;
    expect(log).toEqual(['onBundle', 'stored', 'acked']);
  });

  it('Scenario: several transfers are in flight at once; deliveries overlap and acknowledgements stay in order', async () => {
    const releaseFirst = deferred();
    const started: bigint[] = [];
    const allStarted = deferred();
    const p = await pair(
      {
        onBundle: async (_b, info) => {
          started.push(info.transferId);
          if (started.length === 4) allStarted.resolve();
          if (info.transferId === 0n) await releaseFirst.promise;
        },
      },
      { maxInFlight: 4 },
    );
    const acked: number[] = [];
    const sends = [0, 1, 2, 3, 4].map((i) => p.client.sendBundle(pseudoRandomBytes(2000 + i, 30 + i)).then(() => void acked.push(i)));
    // Transfers 1-3 reached the receiver while transfer 0 was still unacknowledged…
    await allStarted.promise;
    expect(started).toEqual([0n, 1n, 2n, 3n]);
    // …and the fifth waits for room in the window; nothing is acked before the first is stored.
    await new Promise((resolve) => setImmediate(resolve));
    expect(acked).toEqual([]);
    expect(p.client.pendingTransfers).toBe(5);
    releaseFirst.resolve();
    await Promise.all(sends);
    expect(acked).toEqual([0, 1, 2, 3, 4]);
    expect(started).toEqual([0n, 1n, 2n, 3n, 4n]);
  });

  it('Scenario: clean close lets the in-flight transfer finish, rejects queued ones, and ends both sides', async () => {
    const release = deferred();
    // One transfer in flight, so the second is still queued when the close comes.
    const p = await pair({ onBundle: () => release.promise }, { maxInFlight: 1 });
    const first = p.client.sendBundle(pseudoRandomBytes(1000, 8));
    const second = p.client.sendBundle(pseudoRandomBytes(1000, 9));
    const serverDown = nextDown(p.server);
    const clientDown = nextDown(p.client);
    const closing = p.client.close(SessTermReason.Busy);
    await expect(second).rejects.toBeInstanceOf(TcpclSessionEndedError);
    release.resolve();
    await first;
    await closing;
    expect(await clientDown).toMatchObject({ cause: 'local-close', termReason: SessTermReason.Busy });
    expect(await serverDown).toMatchObject({ cause: 'peer-close', termReason: SessTermReason.Busy });
    await expect(p.client.sendBundle(new Uint8Array(1))).rejects.toMatchObject({ code: 'session-ended' });
  });

  it('Scenario: connecting with an invalid node ID is a typed option error', async () => {
    await expect(
      connectTcpcl({ nodeId: 'not a uri', host: '127.0.0.1', port: 1, onBundle: async () => undefined }),
    ).rejects.toMatchObject({ code: 'bad-option' });
  });
});
