import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, BrowserContext, Route } from '@playwright/test';
import { PACKED_WASM_SUFFIX } from '../../src/core/protocol/packed-wasm.ts';
import { launchOptions } from '../helpers/browser.ts';
import { startRelayProcess, type RelayProcess } from '../helpers/relay-process.ts';
import { browse, card, join, post } from './phone.ts';
import { expect, test } from './fixtures.ts';

/**
 * A phone that reaches its relay by a name other than localhost, as phones on a mesh do: Chromium then
 * treats the page as plain HTTP (no secure context, gzip but never brotli). The name is mapped to the
 * loopback address inside this browser only, so nothing leaves the machine.
 */
const MESH_NAME = 'hub.mesh.test';

let relay: RelayProcess;
let browser: Browser;
test.beforeAll(async ({ playwright }) => {
  browser = await playwright.chromium.launch({ ...launchOptions, args: [...launchOptions.args, `--host-resolver-rules=MAP ${MESH_NAME} 127.0.0.1`] });
});
test.afterAll(async () => {
  await browser.close();
});
test.beforeEach(async () => {
  await readPacked(); // a build without the copy is a set-up mistake, said plainly, not a scenario's failure
  relay = await startRelayProcess();
});
test.afterEach(async () => {
  await relay.cleanup();
});

/** What the phone fetched of the Automerge wasm: the path's ending and the bytes that came over the wire. */
async function plainHttpPhone(onPacked?: (route: Route) => Promise<void>): Promise<{ context: BrowserContext; wasm: Array<{ url: string; bytes: number; encoding?: string }>; page: import('@playwright/test').Page }> {
  const context = await browser.newContext({ baseURL: relay.url.replace('127.0.0.1', MESH_NAME), viewport: { width: 360, height: 740 } });
  if (onPacked) await context.route(`**/*.wasm${PACKED_WASM_SUFFIX}`, onPacked);
  const page = await context.newPage();
  const wasm: Array<{ url: string; bytes: number; encoding?: string }> = [];
  page.on('requestfinished', (r) => {
    if (!/\.wasm(\.xz)?$/.test(r.url())) return;
    void Promise.all([r.sizes(), r.response()]).then(([s, res]) => wasm.push({ url: r.url(), bytes: s.responseBodySize, encoding: res?.headers()['content-encoding'] }));
  });
  await page.goto('/');
  expect(await page.evaluate(() => window.isSecureContext)).toBe(false);
  return { context, page, wasm };
}

/** The built wasm's gzip copy: what a phone on plain HTTP fetched before the packed copy existed. */
async function gzipCopyBytes(): Promise<number> {
  const assets = path.resolve('dist/assets');
  const gz = (await readdir(assets)).find((f) => f.endsWith('.wasm.gz'));
  return (await stat(path.join(assets, gz!))).size;
}

test('Scenario: a phone on plain HTTP takes the wasm’s xz copy, a third smaller than gzip, and works with it', async () => {
  const { context, page, wasm } = await plainHttpPhone();
  await join(page, 'Ana');
  await post(page, { kind: 'offer', title: 'Tomato seedlings' });
  await browse(page);
  await expect(card(page, 'Tomato seedlings')).toBeVisible();
  expect(wasm.map((w) => w.url.endsWith(`.wasm${PACKED_WASM_SUFFIX}`))).toEqual([true]);
  // Sent as a file (the phone decodes it), not as an encoding the browser would undo.
  expect(wasm[0]!.encoding).toBeUndefined();
  expect(wasm[0]!.bytes).toBeLessThan((await gzipCopyBytes()) * 0.75);
  await context.close();
});

for (const [what, answer] of [
  ['the relay has no packed copy', (route: Route) => route.fulfill({ status: 404, body: 'not found' })],
  ['the packed copy is cut short', async (route: Route) => route.fulfill({ status: 200, body: (await readPacked()).subarray(0, 100_000) })],
  ['the packed copy is damaged', async (route: Route) => route.fulfill({ status: 200, body: damaged(await readPacked()) })],
] as const) {
  test(`Scenario: when ${what}, a phone on plain HTTP fetches the wasm itself and joins`, async () => {
    const { context, page, wasm } = await plainHttpPhone(answer);
    await join(page, 'Beto');
    await post(page, { kind: 'need', title: 'A ride to the clinic' });
    await browse(page);
    await expect(card(page, 'A ride to the clinic')).toBeVisible();
    expect(wasm.some((w) => w.url.endsWith('.wasm'))).toBe(true);
    await context.close();
  });
}

async function readPacked(): Promise<Buffer> {
  const assets = path.resolve('dist/assets');
  const packed = (await readdir(assets)).find((f) => f.endsWith(`.wasm${PACKED_WASM_SUFFIX}`));
  if (!packed) throw new Error('dist/assets has no xz copy of the wasm: build as `npm run build` does (vite build, then scripts/compress.ts)');
  return readFile(path.join(assets, packed));
}

/** One byte flipped in the middle: xz's check catches it, or the module fails to compile. */
function damaged(bytes: Buffer): Buffer {
  const copy = Buffer.from(bytes);
  copy[copy.length >> 1]! ^= 0x5a;
  return copy;
}
