import { Repo, type AutomergeUrl } from '@automerge/automerge-repo';
import { createIdentity } from '../../src/core/crypto/keys.ts';
import { SessionWebSocketClientAdapter } from '../../src/platform/session-socket.ts';
import { expect, test, type Browser, type Page } from './fixtures.ts';
import type { BrowserContext } from '@playwright/test';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { CommunityDoc, FeedDoc } from '../../src/core/model/types.ts';
import { memberEntries } from '../../src/core/model/community.ts';
import { plainScalars } from '../../src/core/model/scalar-strings.ts';
import { startRelayProcess } from '../helpers/relay-process.ts';
import { relayPerTest } from './relay-per-test.ts';
import { untilPeer } from '../helpers/until-peer.ts';
import { browse, card, join, openPhone, post, relayStatus, waitForServiceWorker } from './phone.ts';

const relay = relayPerTest();

test('Scenario: the app starts offline with its data and a need posted offline reaches the other phone later', async ({ browser }) => {
  const a = await openPhone(browser, relay.url);
  const b = await openPhone(browser, relay.url);
  await join(a.page, 'Ana');
  await join(b.page, 'Beto');
  await post(b.page, { kind: 'need', title: 'Soup for six' });
  await expect(card(a.page, 'Soup for six')).toBeVisible();
  await waitForServiceWorker(a.page);

  await a.context.setOffline(true);
  await a.page.reload();
  await expect(a.page.locator('main')).toHaveAttribute('data-phase', 'ready');
  // What the person sees: not connected, and posts wait on the phone. Not the device's own Online/Offline
  // pill: after a reload in an offline context Chromium 150 reports navigator.onLine true (156 false),
  // while every fetch fails; the status line follows the hub connection, which does not depend on it.
  await expect(a.page.getByTestId('pending')).toHaveText('Not connected to the community hub — what you post waits on this phone');
  await expect(a.page.getByTestId('relay')).toHaveText('No community hub');
  await expect(card(a.page, 'Soup for six')).toBeVisible();
  await post(a.page, { kind: 'need', title: 'Candles during the outage' });
  await expect(a.page.getByTestId('pending')).toContainText('will go when the community hub is back');

  await a.context.setOffline(false);
  await browse(b.page);
  await expect(card(b.page, 'Candles during the outage')).toBeVisible();
  await expect(a.page.getByTestId('pending')).toHaveText('Everything sent');
  await a.context.close();
  await b.context.close();
});

/**
 * A phone (service worker blocked) whose every fetch of `pattern` fails in its first page only, opened at
 * the relay; `documents()` counts full page loads (the hash routes' same-page navigations do not count).
 */
async function firstPageFails(browser: Browser, pattern: string): Promise<{ context: BrowserContext; page: Page; documents: () => number }> {
  const context = await browser.newContext({ baseURL: relay.url, viewport: { width: 360, height: 740 }, serviceWorkers: 'block' });
  const page = await context.newPage();
  let documents = 0;
  page.on('request', (request) => {
    if (request.isNavigationRequest() && request.frame() === page.mainFrame()) documents++;
  });
  await page.route(pattern, (route) => (documents <= 1 ? route.abort('internetdisconnected') : route.continue()));
  await page.goto('/');
  return { context, page, documents: () => documents };
}

test('Scenario: a phone whose app code fails to arrive at start reloads once by itself and starts', async ({ browser }) => {
  // A network change mid-load fails every request in flight (Chromium's ERR_NETWORK_CHANGED, seen when a
  // test beside this one built veth links), and Chromium 150 keeps a failed module import failed for the
  // page's life. Every fetch of the phone's client code fails in the first page, whichever browser this is.
  // The service worker is blocked: its first activation reloads the page, which would hide the failure
  // (in run 30 the worker's registration code had failed to arrive too).
  const { context, page, documents } = await firstPageFails(browser, '**/assets/client-*.js');
  // A first visit shows the first question before the client's code is fetched: the reload comes after it.
  await expect.poll(documents).toBe(2);
  await expect(page.getByTestId('welcome-next')).toBeVisible();
  await join(page, 'Ana');
  await post(page, { kind: 'offer', title: 'Bread on Fridays' });
  // The post reaches the hub: the reloaded page is a whole app, sync included.
  await expect(page.getByTestId('pending')).toHaveText('Everything sent');
  await context.close();
});

test('Scenario: a phone whose first screen fails to arrive reloads once by itself and shows it', async ({ browser }) => {
  // The same network change can fail the first screen's code after the client's arrived (seen in run 36:
  // a mesh test's links changed while a phone loaded its welcome screen, which then stayed "Loading…").
  const { context, page, documents } = await firstPageFails(browser, '**/assets/screen-welcome-*.js');
  await expect(page.getByTestId('welcome-next')).toBeVisible();
  expect(documents()).toBe(2);
  await join(page, 'Ana');
  await expect(page.locator('main')).toHaveAttribute('data-phase', 'ready');
  await context.close();
});

test('Scenario: a relay killed with SIGKILL after a change synced loses nothing', async ({ browser }) => {
  const a = await openPhone(browser, relay.url);
  await join(a.page, 'Ana');
  await post(a.page, { kind: 'offer', title: 'Firewood' });
  await expect(a.page.getByTestId('pending')).toHaveText('Everything sent');
  await a.context.close(); // the phone is gone: only the relay's disk can bring the offer back
  await expect.poll(async () => (await relayStatus(relay.url)).unsaved).toBe(0);

  expect(await relay.stop('SIGKILL')).toBeNull();
  const restarted = await startRelayProcess({ dataDir: relay.dataDir, port: relay.port });
  try {
    const c = await openPhone(browser, restarted.url);
    await join(c.page, 'Carmen');
    await expect(card(c.page, 'Firewood')).toBeVisible();
    await c.context.close();
  } finally {
    await restarted.cleanup();
  }
});

test('Scenario: service worker active and the manifest meets installability criteria on localhost', async ({ playwright }, info) => {
  // Chrome never offers install in incognito, and ordinary test contexts are incognito: use a profile.
  const profile = await mkdtemp(path.join(os.tmpdir(), 'spm-profile-'));
  const context = await playwright.chromium.launchPersistentContext(profile, { ...info.project.use.launchOptions, viewport: { width: 360, height: 740 } });
  const a = { context, page: context.pages()[0] ?? (await context.newPage()) };
  await a.page.goto(relay.url.replace('127.0.0.1', 'localhost'));
  await waitForServiceWorker(a.page);
  const cdp = await a.context.newCDPSession(a.page);
  const manifest = (await cdp.send('Page.getAppManifest')) as { url: string; errors: unknown[]; data?: string };
  expect(manifest.url).toMatch(/manifest\.webmanifest$/);
  expect(manifest.errors).toEqual([]);
  const m = JSON.parse(manifest.data!) as { name: string; display: string; theme_color: string; icons: Array<{ sizes: string; purpose?: string }> };
  expect(m.name).toBe('Solarpunk Mesh');
  expect(m.display).toBe('standalone');
  expect(m.theme_color).toBeTruthy();
  expect(m.icons.map((i) => `${i.sizes}:${i.purpose ?? 'any'}`)).toEqual(expect.arrayContaining(['192x192:any', '512x512:any', '512x512:maskable']));
  const installability = (await cdp.send('Page.getInstallabilityErrors')) as { installabilityErrors: unknown[] };
  expect(installability.installabilityErrors).toEqual([]);
  // The Automerge wasm is precached: without it the app could not start offline.
  const cached = await a.page.evaluate(async () => {
    const urls: string[] = [];
    for (const name of await caches.keys()) for (const r of await (await caches.open(name)).keys()) urls.push(r.url);
    return urls;
  });
  expect(cached.some((u) => u.endsWith('.wasm'))).toBe(true);
  expect(cached.some((u) => /index\.html/.test(u))).toBe(true);
  await a.context.close();
  await rm(profile, { recursive: true, force: true });
});

test('Scenario: a tampered record written straight into a doc is not shown; the signed version is', async ({ browser }) => {
  const a = await openPhone(browser, relay.url);
  const b = await openPhone(browser, relay.url);
  await join(a.page, 'Ana');
  await join(b.page, 'Beto');
  await post(a.page, { kind: 'offer', title: 'Honest honey' });
  await post(a.page, { kind: 'offer', title: 'Spare blankets' });
  await expect(card(b.page, 'Honest honey')).toBeVisible();
  await expect(b.page.getByTestId('rejected')).toHaveCount(0);

  // An attacker with a plain automerge-repo client (and a key of its own: this island is open to join)
  // rewrites Ana's offer without her key.
  const info = (await (await fetch(`${relay.url}/api/info`)).json()) as { communities: Array<{ url: AutomergeUrl }> };
  const eve = createIdentity();
  const network = new SessionWebSocketClientAdapter(relay.url.replace('http', 'ws') + '/sync', 500, () => ({ identity: eve, communityUrls: [info.communities[0].url] }));
  const attacker = new Repo({ network: [network] });
  try {
    await untilPeer(attacker, network);
    const community = await attacker.find<CommunityDoc>(info.communities[0].url);
    const ana = Object.values(memberEntries(community.doc())).find((m) => m.profile.name === 'Ana')!;
    const feed = await attacker.find<FeedDoc>(ana.feedUrl as AutomergeUrl);
    const target = Object.values(feed.doc().intents).map(plainScalars).find((i) => i.name === 'Honest honey')!;
    feed.change((d) => {
      d.intents[target.id].name = 'Send your savings to this account';
    });
    await attacker.flush();
    // The altered version fails Ana's signature; her last signed version is read from the doc's history
    // instead (core/model/restore.ts), so Beto keeps seeing her offer as she wrote it.
    await expect(card(b.page, 'Spare blankets')).toBeVisible();
    await expect(card(b.page, 'Honest honey')).toBeVisible();
    await expect(card(b.page, 'Send your savings')).toHaveCount(0);
  } finally {
    await attacker.shutdown();
    await a.context.close();
    await b.context.close();
  }
});
