import { expect as see, type Page } from '@playwright/test';
import { describe, expect, it } from 'vitest';
import { toBase64Url } from '../../src/core/crypto/encoding.ts';
import { encodeEnvelope, sealMessage } from '../../src/core/messaging/index.ts';
import { AUTH_HEADER, signRequest } from '../../src/core/protocol/auth.ts';
import { Route } from '../../src/core/protocol/routes.ts';
import { card, join, openSettings, post, tapNav } from '../e2e/phone.ts';
import { dtnStatus } from '../helpers/dtn-status.ts';
import { islandIdle, relaysBrief, subnet } from '../helpers/islands.ts';
import { meshSuite } from '../helpers/mesh-suite.ts';
import { movingLink } from '../helpers/moving-link.ts';
import { netnsUnavailable, TestNet } from '../helpers/netns.ts';
import { NodePhone } from '../helpers/phone-client.ts';
import { phonesNetns } from '../helpers/phones-netns.ts';
import { synced } from '../helpers/phone-synced.ts';
import { startRelayProcess, type RelayProcess } from '../helpers/relay-process.ts';
import { presetRelayKey } from '../helpers/relay-key.ts';
import { waitFor } from '../helpers/wait-for.ts';

// openspec/changes/carry — phones carry bundles between islands whose relays answer at one address.
// Island A and island B each run a relay in a network namespace of its own, both at the SAME address and
// port (the address sits on each namespace's loopback); there is no bridge and no link between them.
// The phones' route to that address moves from A's link to B's (`ip route replace`), as a person walks
// from one neighbourhood's Wi-Fi to the next. Where namespaces are unavailable, a TCP forwarder on
// loopback stands in for the route (tests/helpers/moving-link.ts).
const suite = meshSuite();
const PORT = 8181;
const FAST = ['--keepalive', '1', '--reconnect-ms', '300'];

interface TwoIslands {
  a: RelayProcess;
  b: RelayProcess;
  /** The one address both islands answer at, as the carrying phone opens it. */
  shared: string;
  /** The phones' route to the shared address now goes to island A or B. */
  walkTo(island: 'a' | 'b'): void;
  fallback: string | null;
  /** The namespace the phones' browser runs in, or null on loopback. */
  phoneNetns: string | null;
  cleanup(): Promise<void>;
}

async function twoIslandsAtOneAddress(): Promise<TwoIslands> {
  const fallback = process.env.SPM_MESH_LOOPBACK ? 'SPM_MESH_LOOPBACK is set' : netnsUnavailable();
  const bKey = await presetRelayKey();
  const relays: RelayProcess[] = [];
  const start = async (o: Parameters<typeof startRelayProcess>[0]) => relays[relays.push(await startRelayProcess(o)) - 1];
  const communityOf = async (r: RelayProcess) => ((await (await fetch(`${r.url}${Route.info}`)).json()) as { communities: Array<{ url: string }> }).communities[0].url;
  const stopAll = async () => {
    for (const r of relays) await r.cleanup().catch(() => undefined);
    const { rm } = await import('node:fs/promises');
    await rm(bKey.dataDir, { recursive: true, force: true });
  };
  if (fallback) {
    console.log(`mesh carry: network namespaces unavailable (${fallback}); one forwarded address on loopback instead`);
    const a = await start({ args: ['--node-name', 'island-a', '--community-relay', bKey.key, ...FAST] });
    const b = await start({ dataDir: bKey.dataDir, args: ['--node-name', 'island-b', '--join', await communityOf(a), ...FAST] });
    const link = await movingLink(a.port);
    return {
      a,
      b,
      shared: link.url,
      walkTo: (island) => link.moveTo(island === 'a' ? a.port : b.port),
      fallback,
      phoneNetns: null,
      async cleanup() {
        await link.close();
        await stopAll();
      },
    };
  }
  const net = new TestNet();
  const o = subnet();
  const tag = process.pid % 1000;
  const sharedIp = `10.${o}.9.9`;
  try {
    const [nsA, nsB] = [net.ns('ca'), net.ns('cb')];
    net.link(null, `10.${o}.1.1`, nsA, `10.${o}.1.2`, `spk${tag}a`);
    net.link(null, `10.${o}.2.1`, nsB, `10.${o}.2.2`, `spk${tag}b`);
    net.addLoopbackAddress(nsA, sharedIp);
    net.addLoopbackAddress(nsB, sharedIp);
    const phones = phonesNetns(net, o, tag, [{ ns: nsA, host: `10.${o}.1.2` }, { ns: nsB, host: `10.${o}.2.2` }]);
    // Each island answers back through its link to the phones: a phone that walked over still has sockets
    // bound to the last island's link address, and the new island's reset must reach them, or they hang
    // until TCP gives up.
    net.defaultRoute(nsA, phones.phoneSide[0]);
    net.defaultRoute(nsB, phones.phoneSide[1]);
    // Each relay listens on every address of its namespace: the shared one, and its link's own address
    // (what this test uses to reach one island in particular).
    const a = await start({ netns: nsA, host: `10.${o}.1.2`, port: PORT, args: ['--node-name', 'island-a', '--community-relay', bKey.key, ...FAST] });
    const b = await start({ netns: nsB, host: `10.${o}.2.2`, port: PORT, dataDir: bKey.dataDir, args: ['--node-name', 'island-b', '--join', await communityOf(a), ...FAST] });
    const walkTo = (island: 'a' | 'b') => net.routeVia(sharedIp, phones.via[island === 'a' ? 0 : 1], phones.ns);
    walkTo('a');
    return {
      a,
      b,
      shared: `http://${sharedIp}:${PORT}`,
      walkTo,
      fallback: null,
      phoneNetns: phones.ns,
      async cleanup() {
        await stopAll();
        net.destroy();
      },
    };
  } catch (err) {
    await stopAll();
    net.destroy();
    throw err;
  }
}

/** Settings → "Carrying for other communities": what the person reads there. */
async function carryLine(page: Page, testid: 'carry-status' | 'carry-delivered'): Promise<string> {
  if (!page.url().includes('#/settings')) await openSettings(page);
  return (await page.getByTestId(testid).textContent()) ?? '';
}

/** The person opens the app again where she is now (the page's sockets then go to whichever island answers). */
async function reopen(page: Page): Promise<void> {
  await page.reload();
  await see(page.locator('main')).toHaveAttribute('data-phase', 'ready', { timeout: 30_000 });
}

/** Every value in every IndexedDB database of the page, strings and bytes decoded as UTF-8. */
async function indexedDbText(page: Page): Promise<string> {
  return page.evaluate(async () => {
    const out: string[] = [];
    const walk = (v: unknown, depth: number): void => {
      if (depth > 8 || v === null || v === undefined) return;
      if (typeof v === 'string') out.push(v);
      else if (v instanceof ArrayBuffer) out.push(new TextDecoder().decode(v));
      else if (ArrayBuffer.isView(v)) out.push(new TextDecoder().decode(new Uint8Array(v.buffer, v.byteOffset, v.byteLength)));
      else if (typeof v === 'object') for (const x of Object.values(v as object)) walk(x, depth + 1);
    };
    for (const info of await indexedDB.databases()) {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const req = indexedDB.open(info.name!);
        req.onsuccess = () => resolve(req.result);
        req.onerror = () => reject(req.error);
      });
      for (const store of Array.from(db.objectStoreNames)) {
        const all = await new Promise<unknown[]>((resolve, reject) => {
          const req = db.transaction(store).objectStore(store).getAll();
          req.onsuccess = () => resolve(req.result);
          req.onerror = () => reject(req.error);
        });
        walk(all, 0);
      }
      db.close();
    }
    return out.join('\n');
  });
}

describe('mesh: phones carry between islands at one address', () => {
  it('Scenario: a phone carries a post and a sealed message between islands that answer at one address, with no relay bridge, and holds no plaintext of the message', async () => {
    const since = Date.now();
    const t = await twoIslandsAtOneAddress();
    suite.use({ a: t.a, b: t.b, community: '', fallback: t.fallback, phoneNetns: t.phoneNetns, bridgeStatusUrl: () => '', linkA: async () => undefined, linkB: async () => undefined, dataDirs: () => [t.a.dataDir, t.b.dataDir], report: async () => [...t.a.logs.slice(-60), ...t.b.logs.slice(-60)].join('\n'), brief: () => relaysBrief([t.a, t.b], since), cleanup: () => t.cleanup() });

    // Ana opens the app at the shared address on island A, founds the community and offers something.
    const ana = await suite.phone(t.shared);
    await join(ana, 'Ana');
    const offer = 'Bicycle pump to lend';
    await post(ana, { kind: 'offer', title: offer });
    await synced(ana);
    await islandIdle(t.a.url);
    // Her phone took what island A has for elsewhere (its change-sets, signed by relay A).
    await reopen(ana);
    await see.poll(() => carryLine(ana, 'carry-status'), { timeout: 60_000 }).toMatch(/^Carrying .*\d+ changes? for other communities\.$/);

    // She walks to island B: the same address, another relay. No relay ever reaches another.
    t.walkTo('b');
    await reopen(ana);
    await see.poll(() => carryLine(ana, 'carry-delivered'), { timeout: 90_000 }).toMatch(/^Delivered .*\d+ changes?\.$/);

    // Beto, on island B, joins and sees Ana's offer.
    const beto = await suite.phone(t.b.url);
    await join(beto, 'Beto');
    await see(card(beto, offer)).toBeVisible({ timeout: 60_000 });
    await synced(beto);
    await islandIdle(t.b.url);
    // Ana takes B's changes (Beto's member entry among them) and walks back to A, where Carla lives.
    await reopen(ana);
    await walkAndDeliver(ana, t, 'a', 'change');
    const carla = new NodePhone(t.a.url);
    try {
      await carla.join('Carla');
      await waitFor(() => Object.values(carla.client.community.state.state.members).includes('Beto'), "Beto's member entry reached island A on Ana's phone", 60_000);
      const betoId = Object.entries(carla.client.community.state.state.members).find(([, name]) => name === 'Beto')![0];
      const to = carla.client.community.recipient(betoId)!;
      // Carla's phone seals a message to Beto and hands it to relay A, as its messenger does.
      const text = 'The water pump on Elm street works again';
      const { envelope } = sealMessage(carla.me, to, { kind: 'text', text }, Date.now());
      const sent = await fetch(`${t.a.url}${Route.inbox}`, { method: 'POST', body: encodeEnvelope(envelope) as BodyInit, headers: { [AUTH_HEADER]: signRequest(carla.me, { method: 'POST', path: Route.inbox }) } });
      expect(sent.status).toBe(202);

      // Ana opens the app on A (her phone takes the sealed message), then walks back to B and hands it in.
      await reopen(ana);
      await see.poll(() => carryLine(ana, 'carry-status'), { timeout: 60_000 }).toMatch(/1 message/);
      const stored = await indexedDbText(ana);
      expect(stored).toContain(offer); // her own public post is readable in her index: the dump reads everything
      expect(stored).not.toContain(text);
      expect(stored).not.toContain(toBase64Url(carla.me.signPublicKey));
      await walkAndDeliver(ana, t, 'b', 'message');

      // Beto reads it on island B.
      await see(beto.getByTestId('nav-unread')).toHaveText('1', { timeout: 60_000 });
      await tapNav(beto, 'messages');
      await beto.getByTestId('conversation').first().click();
      await see(beto.getByTestId('message')).toHaveText(new RegExp(text));
    } finally {
      await carla.close();
    }
    expect((await dtnStatus(t.a.url)).peersSeen).toEqual([]);
    expect((await dtnStatus(t.b.url)).peersSeen).toEqual([]);
    console.log(`mesh carry: namespaces: ${t.fallback ?? 'yes'}`);
  });
});

/** The route moves to `island`; the person opens the app there and her phone hands in what it carries. */
async function walkAndDeliver(page: Page, t: TwoIslands, island: 'a' | 'b', kind: 'change' | 'message'): Promise<void> {
  const before = await carryLine(page, 'carry-delivered');
  t.walkTo(island);
  await reopen(page);
  await see.poll(() => carryLine(page, 'carry-delivered'), { timeout: 90_000 }).not.toBe(before);
  expect(await carryLine(page, 'carry-delivered')).toContain(kind === 'message' ? 'message' : 'change');
}
