import { chromium, expect as see, type Browser } from '@playwright/test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchOptions } from '../helpers/browser.ts';
import { dtnStatus } from '../helpers/dtn-status.ts';
import { netnsUnavailable, TestNet } from '../helpers/netns.ts';
import { startRelayProcess, type RelayProcess } from '../helpers/relay-process.ts';
import { browse, card, join, post } from '../e2e/phone.ts';

// openspec/specs/bridge-sync/spec.md — three hosts: island A, a bridge, island B; A and B never linked.
// SPM_MESH_LOOPBACK=1 forces the loopback variant (to check it on a machine that has namespaces).
const why = process.env.SPM_MESH_LOOPBACK ? 'SPM_MESH_LOOPBACK is set' : netnsUnavailable();
const FAST = ['--keepalive', '1', '--reconnect-ms', '300'];
const OFFERS = 50;

let browser: Browser;
const relays: RelayProcess[] = [];
let net: TestNet | undefined;

beforeAll(async () => {
  if (why) console.log(`mesh: network namespaces unavailable (${why}); running the same scenario on loopback ports`);
  browser = await chromium.launch(launchOptions);
});
afterAll(async () => {
  await browser?.close();
  for (const r of relays) await r.cleanup();
  net?.destroy();
});

interface Topology {
  a: RelayProcess;
  b: RelayProcess;
  bridgeStatusUrl: string;
  /** Bridge link to island A / B comes up or goes down. */
  linkA(up: boolean): Promise<void>;
  linkB(up: boolean): Promise<void>;
}

async function relay(opts: Parameters<typeof startRelayProcess>[0]): Promise<RelayProcess> {
  const r = await startRelayProcess(opts);
  relays.push(r);
  return r;
}

async function waitContact(url: string, peer: string, up: boolean): Promise<void> {
  await expect.poll(async () => (await dtnStatus(url)).contacts.some((c) => c.peer === peer), { timeout: 20_000 }).toBe(up);
}

/** Real namespaces: the bridge's veth to each island goes up and down with `ip link set`. */
async function namespaces(): Promise<Topology> {
  net = new TestNet();
  const [nsA, nsB, nsBr] = [net.ns('a'), net.ns('b'), net.ns('br')];
  // Phones reach their island's relay over the island's "Wi-Fi" (a link from the test's own namespace).
  net.link(null, '10.231.1.1', nsA, '10.231.1.2', `spw${process.pid % 1000}a`);
  net.link(null, '10.231.2.1', nsB, '10.231.2.2', `spw${process.pid % 1000}b`);
  net.link(null, '10.231.3.1', nsBr, '10.231.3.2', `spw${process.pid % 1000}c`);
  const toA = net.link(nsBr, '10.231.10.1', nsA, '10.231.10.2', `spl${process.pid % 1000}a`);
  const toB = net.link(nsBr, '10.231.20.1', nsB, '10.231.20.2', `spl${process.pid % 1000}b`);
  net.setLink(nsBr, toA.aIf, false);
  net.setLink(nsBr, toB.aIf, false);

  const a = await relay({ netns: nsA, host: '10.231.1.2', args: ['--node-name', 'island-a', '--tcpcl-port', '4556', ...FAST] });
  const community = (await (await fetch(`${a.url}/api/info`)).json()).communities[0].url as string;
  const b = await relay({ netns: nsB, host: '10.231.2.2', args: ['--node-name', 'island-b', '--tcpcl-port', '4556', '--join', community, ...FAST] });
  const br = await relay({ netns: nsBr, host: '10.231.3.2', args: ['--node-name', 'bridge', '--tcpcl-port', '4556', '--peer', '10.231.10.2:4556', '--peer', '10.231.20.2:4556', ...FAST] });
  return {
    a,
    b,
    bridgeStatusUrl: br.url,
    async linkA(up) {
      net!.setLink(nsBr, toA.aIf, up);
      await waitContact(a.url, 'dtn://bridge/', up);
    },
    async linkB(up) {
      net!.setLink(nsBr, toB.aIf, up);
      await waitContact(b.url, 'dtn://bridge/', up);
    },
  };
}

/** Loopback fallback: the bridge "moves" by restarting with a link to the other island only. */
async function loopback(): Promise<Topology> {
  const a = await relay({ args: ['--node-name', 'island-a', ...FAST] });
  const community = (await (await fetch(`${a.url}/api/info`)).json()).communities[0].url as string;
  const b = await relay({ args: ['--node-name', 'island-b', '--join', community, ...FAST] });
  let br: RelayProcess | undefined;
  const dataDir = (await import('node:fs')).mkdtempSync('/tmp/spm-bridge-');
  const visit = async (to: RelayProcess | null) => {
    if (br) await br.stop('SIGTERM');
    br = to ? await relay({ dataDir, args: ['--node-name', 'bridge', ...FAST, '--peer', `127.0.0.1:${(await dtnStatus(to.url)).tcpclPort}`] }) : undefined;
  };
  return {
    a,
    b,
    get bridgeStatusUrl() {
      return br?.url ?? '';
    },
    async linkA(up) {
      await visit(up ? a : null);
      await waitContact(a.url, 'dtn://bridge/', up);
    },
    async linkB(up) {
      await visit(up ? b : null);
      await waitContact(b.url, 'dtn://bridge/', up);
    },
  };
}

/** The relay has written every phone edit to disk and turned it into bundles. */
async function islandIdle(url: string): Promise<void> {
  await expect
    .poll(async () => {
      const s = (await (await fetch(`${url}/api/status`)).json()) as { unsaved: number; replication: { unemitted: number } };
      return s.unsaved + s.replication.unemitted;
    }, { timeout: 20_000 })
    .toBe(0);
}

describe('mesh: island A, bridge, island B', () => {
  it('Scenario: 50 offers posted on island A reach a phone on island B after the bridge visits A then B; a need goes back', async () => {
    const t = why ? await loopback() : await namespaces();
    const phoneA = await (await browser.newContext({ baseURL: t.a.url })).newPage();
    await phoneA.goto('/');
    await join(phoneA, 'Ana');
    for (let i = 1; i <= OFFERS; i++) await post(phoneA, { kind: 'offer', title: `Mesh offer ${i}` });
    await expect.poll(async () => (await dtnStatus(t.a.url)).store.count, { timeout: 20_000 }).toBeGreaterThanOrEqual(2);
    await expect.poll(async () => phoneA.getByTestId('pending').textContent(), { timeout: 20_000 }).toBe('All changes synced');
    await islandIdle(t.a.url);

    await t.linkA(true);
    const held = (await dtnStatus(t.a.url)).store.count;
    await expect.poll(async () => (await dtnStatus(t.bridgeStatusUrl)).store.count, { timeout: 30_000 }).toBeGreaterThanOrEqual(held);
    await t.linkA(false);
    await t.linkB(true);

    const phoneB = await (await browser.newContext({ baseURL: t.b.url })).newPage();
    await phoneB.goto('/');
    await join(phoneB, 'Beto');
    await see(phoneB.getByText(`of ${OFFERS}`)).toBeVisible({ timeout: 60_000 });
    await see(card(phoneB, 'Mesh offer 50')).toBeVisible();
    // The status bar says a bridge is here and that it brought changes.
    await see(phoneB.getByTestId('last-bridge')).toHaveText(/^Bridge here now · [1-9]\d* changes arrived$/);

    await post(phoneB, { kind: 'need', title: 'Water filter for island B' });
    await expect.poll(async () => phoneB.getByTestId('pending').textContent(), { timeout: 20_000 }).toBe('All changes synced');
    await islandIdle(t.b.url);
    const onB = (await dtnStatus(t.b.url)).store.count;
    await expect.poll(async () => (await dtnStatus(t.bridgeStatusUrl)).store.count, { timeout: 30_000 }).toBeGreaterThanOrEqual(onB);
    await t.linkB(false);
    await t.linkA(true);
    await browse(phoneA);
    await see(card(phoneA, 'Water filter for island B')).toBeVisible({ timeout: 60_000 });

    expect((await dtnStatus(t.a.url)).peersSeen).toEqual(['dtn://bridge/']);
    expect((await dtnStatus(t.b.url)).peersSeen).toEqual(['dtn://bridge/']);
  });
});
