// PRoPHET between relays and the relay's operator commands against raw TCPCLv4 neighbours
// (tests/helpers/standard-neighbour.ts) and real relay processes on loopback; the routing to standard
// BPv7 neighbours is in dtn-routing.test.ts.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundleId, Priority, sealedMetadata } from '../../src/core/dtn/index.ts';
import { nodeSignatureCheck } from '../../relay/ed25519.ts';
import { dtnStatus } from '../helpers/dtn-status.ts';
import { operator, operatorJson } from '../helpers/operator-cli.ts';
import { ROOT, type RelayProcess } from '../helpers/relay-process.ts';
import { RELAY_BUNDLE } from '../../scripts/build-relay.ts';
import { standardNeighbourSuite, type BundleRow as Row } from '../helpers/standard-neighbour-suite.ts';

const { suite, closers, changeSets, dial, drained, tempFile } = standardNeighbourSuite();

describe('PRoPHET between relays (RFC 6693)', () => {
  const predictability = async (r: RelayProcess, endpoint: string): Promise<number> => (await dtnStatus(r.url)).routing.predictabilities?.[endpoint] ?? 0;

  it('Scenario: PRoPHET hands a bundle to the relay likelier to meet its destination, and keeps what it learnt across a restart', async () => {
    // c has met no one. b meets d (a plain TCPCL neighbour here, routed by PRoPHET on b's side): b now
    // expects to meet d. Then a meets both, with a bundle for d.
    const [b0, c] = await Promise.all([suite.relay('b', ['--route', 'prophet', '--routing-for', 'dtn://d/=prophet']), suite.relay('c', ['--route', 'prophet'])]);
    await dial(b0, 'dtn://d/');
    await expect.poll(() => predictability(b0, 'dtn://d/'), { timeout: 15_000 }).toBeGreaterThan(0.5);
    const port = async (r: RelayProcess) => `127.0.0.1:${(await dtnStatus(r.url)).tcpclPort}`;
    const a = await suite.relay('a', ['--route', 'prophet', '--peer', await port(b0), '--peer', await port(c)]);
    // Both announces heard (pending is known only then).
    for (const peer of ['dtn://b/', 'dtn://c/'])
      await expect.poll(async () => (await dtnStatus(a.url)).contacts.find((x) => x.peer === peer)?.pending ?? null, { timeout: 15_000 }).not.toBeNull();
    const sent = await operatorJson<{ id: string }>(a, ['send', '--to', 'dtn://d/files', await tempFile(new TextEncoder().encode('clinic open on Tuesday'))]);
    const ids = async (r: RelayProcess) => (await operatorJson<{ bundles: Row[] }>(r, ['query', 'bundles'])).bundles.map((x) => x.id);
    await expect.poll(() => ids(b0), { timeout: 15_000 }).toContain(sent.id);
    // a has handed c all its routing offers it: the bundle for d is not among them (c is no likelier than a).
    await drained(a, 'dtn://c/');
    expect(await ids(c)).not.toContain(sent.id);
    expect(await predictability(a, 'dtn://d/')).toBeLessThan(await predictability(b0, 'dtn://d/'));

    // b restarts, meeting no one: what it learnt about d is in routing-state.cbor, not only in memory.
    const learnt = await predictability(b0, 'dtn://d/');
    await suite.stop(b0);
    closers.push(() => rm(b0.dataDir, { recursive: true, force: true }));
    const b = await suite.relay('b', ['--route', 'prophet'], b0.dataDir);
    expect(await predictability(b, 'dtn://d/')).toBeCloseTo(learnt, 2);
  });
});

describe('operator commands', () => {
  it('Scenario: recv saves the payloads of bundles a neighbour sent to an endpoint of this relay', async () => {
    const r = await suite.relay('island');
    const n = await dial(r, 'ipn:977.0');
    const payload = new TextEncoder().encode('list of volunteers for Saturday');
    await n.send('dtn://island/files', payload);
    const out = await mkdtemp(path.join(os.tmpdir(), 'spm-recv-'));
    closers.push(() => rm(out, { recursive: true, force: true }));
    const saved = await operatorJson<Array<{ file: string; bytes: number }>>(r, ['recv', '--endpoint', 'dtn://island/files', '--out', out]);
    expect(saved).toHaveLength(1);
    expect(new Uint8Array(await readFile(saved[0].file))).toEqual(payload);
  });

  it('Scenario: unsealed mesh metadata from a neighbour is not acted on, and the relay seals its own', async () => {
    const r = await suite.relay('island');
    const held = await changeSets(r);
    const n = await dial(r, 'ipn:977.0');
    // Unsealed, "local, emergency" would have the relay drop the bundle, or rank it above everything.
    const id = await n.send('dtn://island/files', new TextEncoder().encode('x'), { priority: Priority.Emergency, audience: 'local' });
    const rows = (await operatorJson<{ bundles: Array<Row & { priority: number; audience: string; anonymous: boolean }> }>(r, ['query', 'bundles'])).bundles;
    // Kept public, and as bulk: the neighbour proved nothing about itself (no TLS certificate on a relays list).
    expect(rows.find((b) => b.id === id)).toMatchObject({ priority: Priority.Low, audience: 'public', anonymous: true });
    // What the relay makes carries a seal over its metadata that any relay can check.
    await n.until((x) => held.every((h) => x.ids().includes(h)));
    const check = nodeSignatureCheck();
    for (const b of n.carried.filter((c) => held.includes(bundleId(c)))) expect(sealedMetadata(b, check)).toMatchObject({ priority: Priority.Normal, audience: 'public' });
  });

  it('Scenario: query peers lists each neighbour with the routing used for it', async () => {
    const r = await suite.relay('island', ['--routing-for', 'dtn://fixed/=direct']);
    await dial(r, 'ipn:977.0');
    await dial(r, 'dtn://fixed/');
    await expect
      .poll(async () => (await operatorJson<{ contacts: Array<{ peer: string; routing: string }> }>(r, ['query', 'peers'])).contacts.map((c) => [c.peer, c.routing]).sort())
      .toEqual([
        ['dtn://fixed/', 'direct'],
        ['ipn:977.0', 'push'],
      ]);
  });

  it('Scenario: operator requests reach the relay only through a socket file its own account can open', async () => {
    const r = await suite.relay('island');
    const socket = await stat(path.join(r.dataDir, 'admin.sock'));
    expect(socket.isSocket()).toBe(true);
    expect(socket.mode & 0o777).toBe(0o600);
    expect((await stat(r.dataDir)).mode & 0o777).toBe(0o700);
    // The port phones use answers no operator request.
    const res = await fetch(`${r.url}/send?to=dtn://x/y`, { method: 'POST', body: 'not from the operator' });
    expect(res.status).not.toBe(200);
    const rows = (await operatorJson<{ bundles: Row[] }>(r, ['query', 'bundles'])).bundles;
    expect(rows.map((b) => b.destination)).not.toContain('dtn://x/y');
    // A reader that stops early (`query bundles | head`) ends the command quietly, with no stack trace.
    const early = spawn(process.execPath, [RELAY_BUNDLE, 'query', 'bundles', '--data-dir', r.dataDir], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    early.stdout.destroy();
    let earlyErr = '';
    early.stderr.on('data', (d: Buffer) => (earlyErr += d.toString('utf8')));
    expect([await new Promise((resolve) => early.on('close', resolve)), earlyErr]).toEqual([0, '']);
    // Bad input is refused with a reason; a data directory with no relay says so.
    const bad = await operator(r, ['send', '--to', 'dtn:none', '/dev/null']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/endpoint ID/);
    await suite.stop(r);
    closers.push(() => rm(r.dataDir, { recursive: true, force: true }));
    const gone = await operator(r, ['query', 'peers']);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toMatch(/no relay is running/);
  });
});
