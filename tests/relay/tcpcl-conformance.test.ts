import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  BundleFlags,
  bundleId,
  createBundle,
  decodeStatusReport,
  encodeBundle,
  StatusReason,
  fragmentBundle,
  type Bundle,
} from '../../src/core/dtn/index.ts';
import { encodeSummary } from '../../relay/dtn/routing/summary-vector.ts';
import {
  connectTcpcl,
  listenTcpcl,
  SessTermFlags,
  SessTermReason,
  XferRefuseReason,
} from '../../relay/dtn/tcpcl/index.ts';
import { dtnStatus } from '../helpers/dtn-status.ts';
import { startRelayProcess, type RelayProcess } from '../helpers/relay-process.ts';
import { relayWithNeighbours } from '../helpers/relay-with-neighbours.ts';
import { block, frame, payloadItems, primaryItems } from '../unit/dtn/craft.ts';
import { RawPeer } from './tcpcl-helpers.ts';
import { cleanupAfterEach } from '../helpers/cleanups.ts';

// openspec/changes/dtn-conformance — RFC 9171 / 9174 behaviour an independent BPv7 node relies on.

const cleanups = cleanupAfterEach();

describe('TCPCLv4: timeouts end with SESS_TERM (RFC 9174)', () => {
  it('Scenario: no SESS_INIT after the contact header ends the session with SESS_TERM — passive side', async () => {
    const listener = await listenTcpcl({ nodeId: 'dtn://relay-b/', handshakeTimeoutMs: 300, onBundle: async () => undefined });
    cleanups.push(() => listener.close());
    const peer = await RawPeer.connect(listener.port);
    cleanups.push(() => peer.close());
    peer.send(new Uint8Array([0x64, 0x74, 0x6e, 0x21, 4, 0]));
    expect((await peer.next())?.type).toBe('CONTACT');
    expect(await peer.next()).toMatchObject({ type: 'SESS_TERM', flags: 0, reason: SessTermReason.IdleTimeout });
    await peer.closed;
  });

  it('Scenario: no SESS_INIT after the contact header ends the session with SESS_TERM — active side', async () => {
    const raw = await RawPeer.listen();
    cleanups.push(() => raw.close());
    const dialled = connectTcpcl({ nodeId: 'dtn://relay-a/', host: '127.0.0.1', port: raw.port, handshakeTimeoutMs: 300, onBundle: async () => undefined });
    dialled.catch(() => undefined);
    const peer = await raw.accepted;
    expect((await peer.next())?.type).toBe('CONTACT');
    peer.send(new Uint8Array([0x64, 0x74, 0x6e, 0x21, 4, 0]));
    expect((await peer.next())?.type).toBe('SESS_INIT');
    // We never answer with our SESS_INIT.
    expect(await peer.next()).toMatchObject({ type: 'SESS_TERM', reason: SessTermReason.IdleTimeout });
    await expect(dialled).rejects.toThrow(/handshake-timeout/);
    await peer.closed;
  });
});

/**
 * While we hold back our SESS_TERM reply the relay stays in the session: each new transfer is
 * answered with a refusal (the session is ending). Round trips go on for `holdMs`, longer than the
 * rest of the relay's shutdown takes, so a relay that did not wait would have exited meanwhile.
 */
async function staysInSession(peer: RawPeer, holdMs: number): Promise<void> {
  const until = Date.now() + holdMs;
  for (let transferId = 1n; Date.now() < until; transferId++) {
    peer.send({ type: 'XFER_SEGMENT', flags: 3, transferId, extensions: [], data: new Uint8Array([1]) });
    expect(await peer.nextOfType('XFER_REFUSE')).toMatchObject({ transferId, reason: XferRefuseReason.SessionTerminating });
    await new Promise((resolve) => setImmediate(resolve));
  }
  expect(peer.isClosed).toBe(false);
}

/**
 * SIGTERM the relay while `peer` is in session with it: the relay starts the SESS_TERM, stays in the
 * session while the reply is held back, and exits cleanly (code 0) only once the reply has come.
 */
async function shutsDownOnlyAfterReply(relay: RelayProcess, peer: RawPeer): Promise<void> {
  relay.child.kill('SIGTERM');
  expect(await peer.nextOfType('SESS_TERM')).toMatchObject({ flags: 0 });
  await staysInSession(peer, 1500);
  peer.send({ type: 'SESS_TERM', flags: SessTermFlags.REPLY, reason: SessTermReason.Unknown });
  await peer.closed;
  expect(await relay.stop()).toBe(0);
}

describe('relay shutdown waits for the SESS_TERM reply of every session', () => {
  it('Scenario: on shutdown the relay waits for SESS_TERM replies — sessions it accepted', async () => {
    const relay = await startRelayProcess({ args: ['--node-name', 'relay-s1'] });
    cleanups.push(() => relay.cleanup());
    const { tcpclPort } = await dtnStatus(relay.url);
    const peer = await RawPeer.connect(tcpclPort);
    cleanups.push(() => peer.close());
    peer.autoAck = true; // the relay's summary vector is in flight; a session ends once transfers settle
    await peer.handshake({ nodeId: 'dtn://raw-in/' });
    await expect.poll(async () => (await dtnStatus(relay.url)).contacts.map((c) => c.peer)).toContain('dtn://raw-in/');
    await shutsDownOnlyAfterReply(relay, peer);
  });

  it('Scenario: on shutdown the relay waits for SESS_TERM replies — sessions it dialled', async () => {
    const raw = await RawPeer.listen();
    cleanups.push(() => raw.close());
    const relay = await startRelayProcess({ args: ['--node-name', 'relay-s2', '--peer', `127.0.0.1:${raw.port}`] });
    cleanups.push(() => relay.cleanup());
    const peer = await raw.accepted;
    peer.autoAck = true;
    await peer.answerHandshake('dtn://raw-out/');
    await expect.poll(async () => (await dtnStatus(relay.url)).contacts.map((c) => c.peer)).toContain('dtn://raw-out/');
    await shutsDownOnlyAfterReply(relay, peer);
  });
});

describe('relay: fragments survive a restart', () => {
  it('Scenario: fragments stored before a restart are reassembled after it', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'spm-frag-'));
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
    const whole = createBundle({ source: 'dtn://frag-restart/', destination: 'dtn://elsewhere/~changes', payload: Uint8Array.from({ length: 3000 }, (_, i) => i & 0xff), lifetimeMs: 3600e3, flags: 0 });
    const [p0, p1, p2] = fragmentBundle(whole, 1000);
    const send = async (port: number, pieces: Bundle[]) => {
      const s = await connectTcpcl({ nodeId: 'dtn://frag-peer/', host: '127.0.0.1', port, onBundle: async () => undefined });
      for (const f of pieces) await s.sendBundle(encodeBundle(f)); // acked: in the relay's custody
      await s.close();
    };
    let relay = await startRelayProcess({ dataDir, args: ['--node-name', 'relay-fr'] });
    cleanups.push(() => relay.cleanup());
    await send((await dtnStatus(relay.url)).tcpclPort, [p2, p0]);
    relay.child.kill('SIGKILL');
    await relay.stop();
    relay = await startRelayProcess({ dataDir, args: ['--node-name', 'relay-fr'] });
    cleanups.push(() => relay.cleanup());
    await send((await dtnStatus(relay.url)).tcpclPort, [p1]);
    await expect.poll(() => relay.logs.filter((l) => l.includes('bundle reassembled from fragments') && l.includes(bundleId(whole))).length).toBe(1);
  });
});

describe('relay: fragments, deletions and the bundles it makes (RFC 9171)', () => {
  const r = relayWithNeighbours(['--node-name', 'relay-f']);
  const peer = r.neighbour;

  const summaryFor = (from: string) =>
    encodeBundle(createBundle({ source: `dtn://${from}/`, destination: `${r.node}routing`, payload: encodeSummary([]), lifetimeMs: 60_000 }));
  const logsWith = (...parts: string[]) => r.relay.logs.filter((l) => parts.every((p) => l.includes(p)));

  it('Scenario: bundles the relay makes must not be fragmented', async () => {
    const received: Bundle[] = [];
    const s = await peer('mnf', received);
    // On contact up the relay sends its summary vector: a bundle it originated.
    await expect.poll(() => received.length).toBeGreaterThan(0);
    expect(received[0].primary.source).toBe(r.node);
    expect(received[0].primary.flags & BundleFlags.MustNotFragment).toBe(BundleFlags.MustNotFragment);
    await s.close();
  });

  it('Scenario: fragments are reassembled and the whole bundle is kept and delivered once', async () => {
    const payload = Uint8Array.from({ length: 5000 }, (_, i) => (i * 7) & 0xff);
    const whole = createBundle({ source: 'dtn://frag-src/', destination: 'dtn://elsewhere/~changes', payload, lifetimeMs: 3600e3, flags: 0 });
    const pieces = fragmentBundle(whole, 1200);
    expect(pieces.length).toBe(5);
    // Received bundles only: the relay's own change-set emissions (its founding record) may land meanwhile.
    const receivedCount = async () => {
      const { store } = await dtnStatus(r.relay.url);
      return store.count - store.local.count;
    };
    const before = await receivedCount();
    const x = await peer('frag-x');
    // Out of order, one repeated.
    for (const f of [pieces[3], pieces[0], pieces[4], pieces[0], pieces[2], pieces[1]]) await x.sendBundle(encodeBundle(f));
    await expect.poll(() => logsWith('bundle reassembled from fragments', bundleId(whole)).length).toBe(1);
    // The whole bundle replaced its fragments in the store.
    await expect.poll(receivedCount).toBe(before + 1);
    // A fragment arriving again later is not kept again, nor delivered again.
    await x.sendBundle(encodeBundle(pieces[2]));
    await x.close();
    expect(await receivedCount()).toBe(before + 1);
    // Another peer gets the bundle whole, byte for byte.
    const received: Bundle[] = [];
    const y = await peer('frag-y', received);
    await y.sendBundle(summaryFor('frag-y'));
    await expect.poll(() => received.filter((b) => b.primary.source === 'dtn://frag-src/').length, { timeout: 15_000 }).toBe(1);
    const got = received.find((b) => b.primary.source === 'dtn://frag-src/')!;
    expect(got.primary.fragment).toBeUndefined();
    expect(bundleId(got)).toBe(bundleId(whole));
    expect(got.payload.data).toEqual(payload);
    await y.close();
    expect(logsWith('bundle reassembled from fragments', bundleId(whole))).toHaveLength(1);
  });

  it('Scenario: deleted and delivered status reports go to the report-to endpoint', async () => {
    const x = await peer('rep-x');
    const common = { source: 'dtn://rep-src/', reportTo: 'dtn://rep-sink/', payload: new Uint8Array([7]), lifetimeMs: 1000 };
    const expired = createBundle({ ...common, destination: 'dtn://elsewhere/~changes', creationTimeMs: Date.now() - 60_000, flags: BundleFlags.DeletionReport });
    const toRelay = createBundle({ ...common, destination: `${r.node}svc`, lifetimeMs: 3600e3, flags: BundleFlags.DeliveryReport });
    const quiet = createBundle({ ...common, destination: 'dtn://elsewhere/~changes', creationTimeMs: Date.now() - 60_000 });
    for (const b of [expired, toRelay, quiet]) await x.sendBundle(encodeBundle(b));
    await x.close();
    const received: Bundle[] = [];
    const y = await peer('rep-y', received);
    await y.sendBundle(summaryFor('rep-y'));
    const reports = () => received.filter((b) => b.primary.destination === 'dtn://rep-sink/');
    await expect.poll(() => reports().length, { timeout: 15_000 }).toBe(2);
    const read = reports().map((b) => {
      expect(b.primary.flags & BundleFlags.AdminRecord).toBe(BundleFlags.AdminRecord);
      expect(b.primary.source).toBe(r.node);
      return decodeStatusReport(b.payload.data);
    });
    expect(read.map((r) => [r.assertion, r.reason, r.source, r.creationTime, r.sequence]).sort()).toEqual(
      [
        ['deleted', StatusReason.LifetimeExpired, 'dtn://rep-src/', expired.primary.creationTime, expired.primary.sequence],
        ['delivered', StatusReason.NoInformation, 'dtn://rep-src/', toRelay.primary.creationTime, toRelay.primary.sequence],
      ].sort(),
    );
    await y.close();
  });

  it('Scenario: reception and forwarding status reports go to the report-to endpoint', async () => {
    const x = await peer('fwd-x');
    const asked = createBundle({
      source: 'dtn://fwd-src/',
      reportTo: 'dtn://fwd-sink/',
      destination: 'dtn://elsewhere/~changes',
      payload: new Uint8Array([9]),
      lifetimeMs: 3600e3,
      flags: BundleFlags.ReceptionReport | BundleFlags.ForwardingReport,
    });
    // And the first of two fragments of another bundle asking the same: it is held and forwarded as a fragment.
    const big = createBundle({ source: 'dtn://fwd-src/', reportTo: 'dtn://fwd-sink/', destination: 'dtn://elsewhere/~changes', payload: new Uint8Array(3000).fill(5), lifetimeMs: 3600e3, flags: BundleFlags.ReceptionReport | BundleFlags.ForwardingReport });
    const [piece] = fragmentBundle(big, 2000);
    await x.sendBundle(encodeBundle(asked));
    await x.sendBundle(encodeBundle(piece));
    await x.close();
    const received: Bundle[] = [];
    const y = await peer('fwd-y', received);
    await y.sendBundle(summaryFor('fwd-y'));
    const reportsAbout = (subject: Bundle) =>
      received.filter((b) => b.primary.destination === 'dtn://fwd-sink/').map((b) => decodeStatusReport(b.payload.data)).filter((rep) => rep.source === 'dtn://fwd-src/' && rep.creationTime === subject.primary.creationTime && rep.sequence === subject.primary.sequence);
    const assertions = (subject: Bundle) => new Set(reportsAbout(subject).map((rep) => rep.assertion));
    // y gets the bundle itself (forwarded), then the reports about it: received when the relay took it, forwarded when y acknowledged it.
    await expect.poll(() => [...assertions(asked)].sort(), { timeout: 15_000 }).toEqual(['forwarded', 'received']);
    expect(received.some((b) => bundleId(b) === bundleId(asked))).toBe(true);
    // A fragment's reports name it by its offset and length (RFC 9171 §6.1.1), forwarding included.
    await expect.poll(() => [...assertions(piece)].sort(), { timeout: 15_000 }).toEqual(['forwarded', 'received']);
    for (const rep of reportsAbout(piece)) expect(rep.fragment).toEqual({ offset: 0, length: piece.payload.data.length });
    await y.close();
  });

  it('Scenario: every bundle deleted on arrival gets one log line with its id and reason', async () => {
    const x = await peer('del-x');
    const expired = createBundle({ source: 'dtn://del-src/', destination: 'dtn://elsewhere/~changes', payload: new Uint8Array([1]), lifetimeMs: 1000, creationTimeMs: Date.now() - 60_000 });
    await x.sendBundle(encodeBundle(expired));
    // Creation time 0 (no clock) without a bundle age block: RFC 9171 §4.2.2 makes it invalid.
    const noAge = primaryItems();
    noAge[4] = [1, '//del-src/'];
    noAge[6] = [0, 42];
    await x.sendBundle(frame(block(noAge, 2), block(payloadItems())));
    // No primary CRC and no BIB targeting it.
    const noCrc = primaryItems({ crcType: 0 });
    noCrc[4] = [1, '//del-src/'];
    await x.sendBundle(frame(block(noCrc), block(payloadItems())));
    await x.close();
    await expect.poll(() => logsWith('"bundle deleted"', bundleId(expired), 'lifetime-expired').length).toBe(1);
    await expect.poll(() => logsWith('"bundle deleted"', 'dtn://del-src/ 0 42', 'missing-bundle-age').length).toBe(1);
    await expect.poll(() => logsWith('"bundle deleted"', 'dtn://del-src/', 'bad-crc-type').length).toBe(1);
    expect(r.relay.child.exitCode).toBeNull();
  });
});
