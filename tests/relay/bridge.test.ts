import { afterEach, describe, expect, it } from 'vitest';
import { dtnStatus, handedOver } from '../helpers/dtn-status.ts';
import { islandIdle } from '../helpers/islands.ts';
import { NodePhone, offers } from '../helpers/phone-client.ts';
import { startRelayProcess, type RelayProcess } from '../helpers/relay-process.ts';
import { presetRelayKey } from '../helpers/relay-key.ts';
import { rm } from 'node:fs/promises';

// openspec/specs/bridge-sync/spec.md — relays as real processes on loopback
const FAST = ['--keepalive', '1', '--reconnect-ms', '200'];
const running: RelayProcess[] = [];
const phones: NodePhone[] = [];
const keyDirs: string[] = [];

/** Island B's relay key, made before A starts so that A's community names B (its change-sets then apply on A). */
async function islandBKey(): Promise<{ dataDir: string; key: string }> {
  const k = await presetRelayKey();
  keyDirs.push(k.dataDir);
  return k;
}

async function relay(name: string, args: string[] = [], dataDir?: string): Promise<RelayProcess> {
  const r = await startRelayProcess({ dataDir, args: ['--node-name', name, ...FAST, ...args] });
  running.push(r);
  return r;
}

function phone(r: RelayProcess): NodePhone {
  const p = new NodePhone(r.url);
  phones.push(p);
  return p;
}

afterEach(async () => {
  for (const p of phones.splice(0)) await p.close().catch(() => undefined);
  for (const r of running.splice(0)) await r.cleanup();
  for (const d of keyDirs.splice(0)) await rm(d, { recursive: true, force: true });
});

/** The bridge node moving to another island: same node, same store, a link to a different relay. */
async function moveBridge(bridge: RelayProcess, to: RelayProcess): Promise<RelayProcess> {
  await bridge.stop('SIGTERM');
  running.splice(running.indexOf(bridge), 1);
  const peer = `127.0.0.1:${(await dtnStatus(to.url)).tcpclPort}`;
  const moved = await startRelayProcess({ dataDir: bridge.dataDir, args: ['--node-name', 'bridge', ...FAST, '--peer', peer] });
  running.push(moved);
  return moved;
}

describe('islands converge through a bridge', () => {
  it('Scenario: offers written on island A reach island B through a bridge that visits A then B, and a need goes back', async () => {
    const bKey = await islandBKey();
    const a = await relay('island-a', ['--community-relay', bKey.key]);
    const pa = phone(a);
    const community = await pa.communityUrl();
    const b = await relay('island-b', ['--join', community], bKey.dataDir);
    await pa.join('Ana', community);
    pa.post(offers('Offer', 50));
    await expect.poll(async () => (await dtnStatus(a.url)).store.count, { timeout: 15_000 }).toBeGreaterThanOrEqual(2);
    await islandIdle(a.url);

    let bridge = await relay('bridge', ['--peer', `127.0.0.1:${(await dtnStatus(a.url)).tcpclPort}`]);
    await expect.poll(async () => (await dtnStatus(a.url)).peersSeen, { timeout: 15_000 }).toContain('dtn://bridge/');
    await handedOver(a.url);

    bridge = await moveBridge(bridge, b);
    const pb = phone(b);
    await expect.poll(async () => (await pb.titles(community)).filter((t) => t.startsWith('Offer')).length, { timeout: 60_000 }).toBe(50);
    const seenByB = await dtnStatus(b.url);
    expect(seenByB.lastContact?.peer).toBe('dtn://bridge/');
    expect(seenByB.changesAppliedFrom['dtn://bridge/']).toBeGreaterThan(0); // over every contact with it
    // The bridge's own community passes through B as carried bundles: nothing is left waiting to apply
    // (a relay once retried such change-sets after every doc it applied, for ever).
    const waiting = async () => ((await (await fetch(`${b.url}/api/status`)).json()) as { replication: { waiting: number } }).replication.waiting;
    await expect.poll(waiting, { timeout: 15_000 }).toBe(0);

    // B answers with a need; the bridge carries it back to A.
    await pb.join('Beto', community);
    pb.post([{ kind: 'need', category: 'tools', title: 'Need a ladder on B', description: '' }]);
    // Relay B holds the need (another phone on B sees it) before the bridge may leave with B's bundles.
    const probe = phone(b);
    await expect.poll(async () => probe.titles(community), { timeout: 30_000 }).toContain('Need a ladder on B');
    await islandIdle(b.url);
    await handedOver(b.url);
    bridge = await moveBridge(bridge, a);
    await expect.poll(async () => pa.titles(community), { timeout: 60_000 }).toContain('Need a ladder on B');

    // The islands were never linked directly.
    expect((await dtnStatus(a.url)).peersSeen).toEqual(['dtn://bridge/']);
    expect((await dtnStatus(b.url)).peersSeen).toEqual(['dtn://bridge/']);
  });

  it('Scenario: a relay restarted with SIGKILL keeps every bundle it acknowledged and forwards it later', async () => {
    const a = await relay('island-a');
    const pa = phone(a);
    const community = await pa.communityUrl();
    await pa.join('Ana', community);
    pa.post(offers('Durable', 20));
    // Only once A has turned every edit into bundles does its store count say what the bridge must hold.
    await expect.poll(async () => (await dtnStatus(a.url)).store.count, { timeout: 15_000 }).toBeGreaterThanOrEqual(2);
    await islandIdle(a.url);
    const bridge = await relay('bridge', ['--peer', `127.0.0.1:${(await dtnStatus(a.url)).tcpclPort}`]);
    await handedOver(a.url);
    const count = (await dtnStatus(a.url)).store.count;

    expect(await bridge.stop('SIGKILL')).toBeNull();
    running.splice(running.indexOf(bridge), 1);
    const b = await relay('island-b', ['--join', community]);
    const revived = await relay('bridge', ['--peer', `127.0.0.1:${(await dtnStatus(b.url)).tcpclPort}`], bridge.dataDir);
    expect((await dtnStatus(revived.url)).store.count).toBeGreaterThanOrEqual(count);
    const pb = phone(b);
    await expect.poll(async () => (await pb.titles(community)).length, { timeout: 60_000 }).toBe(20);
  });

  it('Scenario: two relays in contact run contact sync and converge on concurrent edits', async () => {
    const bKey = await islandBKey();
    const a = await relay('island-a', ['--community-relay', bKey.key]);
    const pa = phone(a);
    const community = await pa.communityUrl();
    const b = await relay('island-b', ['--join', community, '--peer', `127.0.0.1:${(await dtnStatus(a.url)).tcpclPort}`], bKey.dataDir);
    await pa.join('Ana', community);
    pa.post(offers('From A', 5));
    const pb = phone(b);
    await expect.poll(async () => (await pb.titles(community)).length, { timeout: 60_000 }).toBe(5);
    await pb.join('Beto', community);
    pb.post(offers('From B', 5));
    pa.post(offers('Later A', 5));
    await expect.poll(async () => (await pa.titles(community)).length, { timeout: 60_000 }).toBe(15);
    await expect.poll(async () => (await pb.titles(community)).length, { timeout: 60_000 }).toBe(15);
  });
});
