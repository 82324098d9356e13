// Routing to neighbours that are not our relays (issue #19): a standard BPv7 node that speaks no summary
// vectors, ipn: node IDs, static routes, per-peer history. Each neighbour is a hand-written raw TCPCLv4
// peer (tests/helpers/standard-neighbour.ts) against a real relay process on loopback.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { bundleId, Priority, sealedMetadata } from '../../src/core/dtn/index.ts';
import { communityOfChanges } from '../../src/core/protocol/endpoints.ts';
import { nodeSignatureCheck } from '../../relay/ed25519.ts';
import { dtnStatus } from '../helpers/dtn-status.ts';
import { operator, operatorJson } from '../helpers/operator-cli.ts';
import { ROOT, type RelayProcess } from '../helpers/relay-process.ts';
import { RELAY_BUNDLE } from '../../scripts/build-relay.ts';
import { relaySuite } from '../helpers/relay-suite.ts';
import { StandardNeighbour } from '../helpers/standard-neighbour.ts';

const suite = relaySuite();
const neighbours: StandardNeighbour[] = [];
const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const n of neighbours.splice(0)) n.close();
  for (const c of closers.splice(0)) await c();
});

interface Row {
  id: string;
  destination: string;
}

/** The change-set bundles the relay holds (as `query bundles` lists them), once it has made at least one. */
async function changeSets(r: RelayProcess): Promise<string[]> {
  let rows: Row[] = [];
  await expect
    .poll(async () => {
      rows = (await operatorJson<{ bundles: Row[] }>(r, ['query', 'bundles'])).bundles.filter((b) => communityOfChanges(b.destination) !== undefined);
      return rows.length;
    }, { timeout: 30_000 })
    .toBeGreaterThan(0);
  return rows.map((b) => b.id).sort();
}

async function dial(r: RelayProcess, nodeId: string): Promise<StandardNeighbour> {
  const n = await StandardNeighbour.dial((await dtnStatus(r.url)).tcpclPort, nodeId);
  neighbours.push(n);
  return n;
}

/** The relay says it has handed `peer` everything its routing offers it (acknowledged). */
async function drained(r: RelayProcess, peer: string): Promise<void> {
  await expect.poll(async () => (await dtnStatus(r.url)).contacts.find((c) => c.peer === peer)?.pending, { timeout: 30_000 }).toBe(0);
}

async function schemeOf(r: RelayProcess, peer: string): Promise<string | undefined> {
  return (await dtnStatus(r.url)).routing.peers.find((p) => p.peer === peer)?.scheme;
}

async function tempFile(bytes: Uint8Array): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'spm-send-'));
  closers.push(() => rm(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'file.bin');
  await writeFile(file, bytes);
  return file;
}

describe('routing to standard BPv7 neighbours', () => {
  it('Scenario: a standard BPv7 neighbour without summaries receives change-sets', async () => {
    const r = await suite.relay('island');
    const held = await changeSets(r);
    const n = await dial(r, 'dtn://standard/');
    await n.until((x) => held.every((id) => x.ids().includes(id)));
    await expect.poll(() => schemeOf(r, 'dtn://standard/')).toBe('push');
    // A member's post made while the neighbour is in contact reaches it too.
    const before = n.carried.length;
    const ana = await suite.member(r, 'Ana');
    await ana.post([{ kind: 'need', category: 'food', title: 'Rice', description: 'for the shelter' }]);
    await n.until((x) => x.carried.length > before);
    expect(n.carried.every((b) => communityOfChanges(b.primary.destination) !== undefined)).toBe(true);
  });

  it('Scenario: a relay dialling a standard BPv7 neighbour with --peer sends it change-sets', async () => {
    const l = await StandardNeighbour.listen('dtn://standard/');
    closers.push(l.close);
    const r = await suite.relay('island', ['--peer', `127.0.0.1:${l.port}`]);
    const n = await l.neighbour;
    neighbours.push(n);
    const held = await changeSets(r);
    await n.until((x) => held.every((id) => x.ids().includes(id)));
    expect(await schemeOf(r, 'dtn://standard/')).toBe('push');
  });

  it('Scenario: an ipn: neighbour routed direct receives the bundles for its node and nothing else', async () => {
    const r = await suite.relay('island', ['--routing-for', 'ipn:977.0=direct']);
    await changeSets(r);
    const n = await dial(r, 'ipn:977.0');
    await expect.poll(() => schemeOf(r, 'ipn:977.0')).toBe('direct');
    const file = await tempFile(new TextEncoder().encode('water point moved to the school'));
    const sent = await operatorJson<{ id: string }>(r, ['send', '--to', 'ipn:977.1', file]);
    await n.until((x) => x.ids().includes(sent.id));
    await drained(r, 'ipn:977.0');
    expect(n.carried.map((b) => b.primary.destination)).toEqual(['ipn:977.1']);
    expect(new TextDecoder().decode(n.carried[0].payload.data)).toBe('water point moved to the school');
  });

  it('Scenario: an ipn: neighbour that speaks no summary is sent everything by push, bundles for its node included', async () => {
    const r = await suite.relay('island');
    const held = await changeSets(r);
    const n = await dial(r, 'ipn:977.0');
    const file = await tempFile(new Uint8Array([1, 2, 3]));
    const sent = await operatorJson<{ id: string }>(r, ['send', '--to', 'ipn:977.5', file]);
    await n.until((x) => [...held, sent.id].every((id) => x.ids().includes(id)));
    expect(await schemeOf(r, 'ipn:977.0')).toBe('push');
  });

  it('Scenario: a neighbour with an empty Node ID is sent change-sets by push', async () => {
    const r = await suite.relay('island');
    const held = await changeSets(r);
    const n = await dial(r, '');
    await n.until((x) => held.every((id) => x.ids().includes(id)));
    expect(await schemeOf(r, '')).toBe('push');
  });

  it('Scenario: a static route sends bundles for a destination to the configured peer only', async () => {
    const r = await suite.relay('island', ['--route', 'dtn://far/*=dtn://gateway/']);
    const held = await changeSets(r);
    const gateway = await dial(r, 'dtn://gateway/');
    const other = await dial(r, 'dtn://other/');
    const file = await tempFile(new TextEncoder().encode('for the far island'));
    const sent = await operatorJson<{ id: string }>(r, ['send', '--to', 'dtn://far/inbox', file]);
    await gateway.until((x) => x.ids().includes(sent.id));
    // The other neighbour gets everything else, and the relay has nothing more for it.
    await other.until((x) => held.every((id) => x.ids().includes(id)));
    await drained(r, 'dtn://other/');
    expect(other.ids()).not.toContain(sent.id);
  });

  it('Scenario: per-peer history means no bundle is sent to a neighbour twice, across contacts', async () => {
    const first0 = await suite.relay('island');
    const held = await changeSets(first0);
    const first = await dial(first0, 'dtn://standard/');
    await first.until((x) => held.every((id) => x.ids().includes(id)));
    await drained(first0, 'dtn://standard/');
    first.close();
    await expect.poll(async () => (await dtnStatus(first0.url)).contacts.some((c) => c.peer === 'dtn://standard/')).toBe(false);
    // The relay restarts on the same disk: what it pushed before is in its data dir, not only in memory.
    await suite.stop(first0);
    closers.push(() => rm(first0.dataDir, { recursive: true, force: true }));
    const r = await suite.relay('island', [], first0.dataDir);

    const again = await dial(r, 'dtn://standard/');
    const file = await tempFile(new TextEncoder().encode('new since last time'));
    const sent = await operatorJson<{ id: string }>(r, ['send', '--to', 'dtn://elsewhere/notes', file]);
    await again.until((x) => x.ids().includes(sent.id));
    await drained(r, 'dtn://standard/');
    // Only what is new since the first contact: nothing it was handed before comes again.
    expect(again.ids()).toEqual([sent.id]);
    const all = [...first.ids(), ...again.ids()];
    expect(new Set(all).size).toBe(all.length);
  });

  it('Scenario: a neighbour that sends a summary vector is routed by summaries', async () => {
    const a = await suite.relay('a');
    const b = await suite.relay('b', ['--peer', `127.0.0.1:${(await dtnStatus(a.url)).tcpclPort}`]);
    await expect.poll(() => schemeOf(b, 'dtn://a/'), { timeout: 30_000 }).toBe('summary');
    await expect.poll(() => schemeOf(a, 'dtn://b/'), { timeout: 30_000 }).toBe('summary');
  });

  it('Scenario: two relays routing by spray-and-wait exchange bundles, and recv waits for one to arrive', async () => {
    const a = await suite.relay('a', ['--route', 'spray']);
    const b = await suite.relay('b', ['--route', 'spray', '--peer', `127.0.0.1:${(await dtnStatus(a.url)).tcpclPort}`]);
    await expect.poll(() => schemeOf(b, 'dtn://a/'), { timeout: 15_000 }).toBe('spray');
    await expect.poll(() => schemeOf(a, 'dtn://b/'), { timeout: 15_000 }).toBe('spray');
    expect((await dtnStatus(a.url)).routing).toMatchObject({ default: 'spray' });
    const out = await mkdtemp(path.join(os.tmpdir(), 'spm-recv-'));
    closers.push(() => rm(out, { recursive: true, force: true }));
    // Asked before the bundle exists: recv waits for it rather than answer "none".
    const waiting = operatorJson<Array<{ file: string; bytes: number }>>(b, ['recv', '--endpoint', 'dtn://b/files', '--out', out, '--wait', '15000']);
    const text = 'shelter list for island b';
    await operatorJson<{ id: string }>(a, ['send', '--to', 'dtn://b/files', await tempFile(new TextEncoder().encode(text))]);
    const saved = await waiting;
    expect(saved.map((x) => x.bytes)).toEqual([text.length]);
    expect(await readFile(saved[0].file, 'utf8')).toBe(text);
    // The other way, b's own change-sets (its community's founding) reach a's store.
    await expect.poll(async () => ((s) => s.count - s.local.count)((await dtnStatus(a.url)).store), { timeout: 10_000 }).toBeGreaterThan(0);
  });
});

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
