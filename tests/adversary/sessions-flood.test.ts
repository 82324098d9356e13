import type { AutomergeUrl } from '@automerge/automerge-repo';
import { afterEach, describe, expect, it } from 'vitest';
import { NodePhone, offers } from '../helpers/phone-client.ts';
import { joinedSocket, requestUnknownIds, type RawSyncSocket } from '../helpers/raw-sync-socket.ts';
import { startRelayProcess, type RelayProcess } from '../helpers/relay-process.ts';

// openspec/changes/status-flood/specs/island-sync/spec.md — a real relay process on loopback
const running: RelayProcess[] = [];
const closers: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const c of closers.splice(0)) await c().catch(() => undefined);
  for (const r of running.splice(0)) await r.cleanup();
});

interface SyncLoad {
  handles: number;
  syncingPeers: number;
  quietPeers: number;
  heldFrames: number;
}

async function syncLoad(r: RelayProcess): Promise<SyncLoad> {
  return ((await (await fetch(`${r.url}/api/status`)).json()) as { sync: SyncLoad }).sync;
}

/** An open relay whose community Ana founded and posted to; she is the one phone syncing. */
async function founded(): Promise<{ r: RelayProcess; ana: NodePhone; url: AutomergeUrl }> {
  const r = await startRelayProcess({ args: ['--node-name', 'flood', '--agents-interval-ms', '0'] });
  running.push(r);
  const url = ((await (await fetch(`${r.url}/api/info`)).json()) as { communities: Array<{ url: AutomergeUrl }> }).communities[0].url;
  const ana = new NodePhone(r.url);
  closers.push(() => ana.close());
  await ana.join('Ana', url);
  await ana.post(offers('Soup', 2));
  await expect.poll(() => ana.titles(), { timeout: 30_000 }).toHaveLength(2);
  return { r, ana, url };
}

/** A raw joined socket, closed after the test. */
async function joined(r: RelayProcess, url: AutomergeUrl, peer: string): Promise<RawSyncSocket> {
  const s = await joinedSocket(r.url, url, peer);
  closers.push(async () => s.ws.terminate());
  return s;
}

describe('a flood of doc requests from a stranger', () => {
  it('Scenario: 10,000 requests for unknown doc ids leave no handles behind', async () => {
    const { r, ana, url } = await founded();
    const before = await syncLoad(r);
    const flood = await joined(r, url, 'flooder');
    const N = 10_000;
    await requestUnknownIds(flood, 'flooder', N);
    // Each id is answered "unavailable"...
    await expect.poll(flood.misses, { timeout: 120_000, interval: 200 }).toBe(N);
    // ...and none of them left a handle, nor made the flooder a peer automerge-repo weighs.
    const after = await syncLoad(r);
    expect(after.handles).toBe(before.handles);
    expect(after.syncingPeers).toBe(before.syncingPeers);
    expect(after.quietPeers).toBe(before.quietPeers + 1);
    // The community still syncs: a new phone gets Ana's posts.
    await ana.post(offers('After the flood', 1));
    const beto = new NodePhone(r.url);
    closers.push(() => beto.close());
    await beto.join('Beto', url);
    await expect.poll(() => beto.titles(), { timeout: 60_000 }).toContain('After the flood 1');
    expect(r.child.exitCode).toBeNull();
  });

  it('Scenario: 10,000 requests sent at once wait past the budget and are all answered in turn', async () => {
    const { r, url } = await founded();
    const flood = await joined(r, url, 'flooder');
    const N = 10_000;
    await requestUnknownIds(flood, 'flooder', N);
    // Past the socket's budget (4,000, then 400 a second) the rest wait their turn, though ws had read them.
    await expect.poll(async () => (await syncLoad(r)).heldFrames, { timeout: 60_000, interval: 50 }).toBeGreaterThan(0);
    expect(flood.misses()).toBeLessThan(N);
    await expect.poll(flood.misses, { timeout: 120_000, interval: 200 }).toBe(N);
    expect((await syncLoad(r)).heldFrames).toBe(0);
    expect(r.child.exitCode).toBeNull();
  });

  it('Scenario: joined phones that never ask for a doc are not weighed on every sync message', async () => {
    const { r, url } = await founded();
    const before = await syncLoad(r);
    const idle = [];
    for (let i = 0; i < 50; i++) idle.push(await joined(r, url, `idle-${i}`));
    const load = await syncLoad(r);
    expect(load.quietPeers).toBe(before.quietPeers + 50);
    expect(load.syncingPeers).toBe(before.syncingPeers);
    // A phone that asks for the community becomes a syncing peer and gets it all.
    const beto = new NodePhone(r.url);
    closers.push(() => beto.close());
    await beto.join('Beto', url);
    await expect.poll(() => beto.titles(), { timeout: 60_000 }).toEqual(['Soup 1', 'Soup 2']);
    expect((await syncLoad(r)).syncingPeers).toBe(before.syncingPeers + 1);
    // Quiet sockets that leave are forgotten.
    for (const s of idle) s.ws.close();
    await expect.poll(async () => (await syncLoad(r)).quietPeers, { timeout: 30_000 }).toBe(before.quietPeers);
  });
});
