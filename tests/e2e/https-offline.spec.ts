import { createHash, X509Certificate } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { chromium, expect, test, type Browser } from '@playwright/test';
import { launchOptions } from '../helpers/browser.ts';
import { startRelayProcess, type RelayProcess } from '../helpers/relay-process.ts';
import { testCertificate } from '../helpers/test-certificate.ts';
import { browse, card, join, post, waitForServiceWorker } from './phone.ts';

// openspec/specs/pwa-install — a relay with a certificate for the community's name gives phones a secure
// context: the service worker installs and the app starts with no network at all.
const NAME = 'mesh.test';

let relay: RelayProcess;
let browser: Browser;
let certDir = '';

test.beforeAll(async () => {
  const { cert, key, dir } = testCertificate({ days: 90, names: `DNS:${NAME}` });
  certDir = dir;
  relay = await startRelayProcess({ args: ['--tls-cert', cert, '--tls-key', key] });
  // The phone trusts this one certificate by its public key, as a phone that installed the community's
  // CA or got a public certificate would, and finds the name as the access point's DNS would answer it.
  const spki = new X509Certificate(readFileSync(cert)).publicKey.export({ type: 'spki', format: 'der' });
  const pin = createHash('sha256').update(spki).digest('base64');
  browser = await chromium.launch({
    ...launchOptions,
    args: [...launchOptions.args, `--host-resolver-rules=MAP ${NAME} 127.0.0.1`, `--ignore-certificate-errors-spki-list=${pin}`],
  });
});

test.afterAll(async () => {
  await browser?.close();
  await relay?.cleanup();
  rmSync(certDir, { recursive: true, force: true });
});

test('Scenario: over HTTPS with the community name the service worker installs and the app starts offline', async () => {
  test.setTimeout(180_000); // join, post, and the service worker precaching the app over TLS: 90 s was not enough with one core busy
  const port = new URL(relay.url).port;
  const origin = `https://${NAME}:${port}`;
  const context = await browser.newContext({ baseURL: origin, viewport: { width: 360, height: 740 } });
  const page = await context.newPage();
  await page.goto('/');
  expect(await page.evaluate(() => window.isSecureContext)).toBe(true);
  await join(page, 'Ana');
  await post(page, { kind: 'offer', title: 'Bread on Fridays' });
  await waitForServiceWorker(page);
  // Asked by the page itself: only the browser resolves the community name.
  const status = (await page.evaluate(async () => (await fetch('/api/status')).json())) as { deployment: { origin: { secure: boolean }; certificate?: { state: string; coversHost: boolean | null } } };
  expect(status.deployment.origin.secure).toBe(true);
  expect(status.deployment.certificate?.state).toBe('ok');

  await browse(page);
  await expect(card(page, 'Bread on Fridays')).toBeVisible();
  await context.setOffline(true);
  await page.reload();
  await expect(page.locator('main')).toHaveAttribute('data-phase', 'ready');
  await expect(card(page, 'Bread on Fridays')).toBeVisible();
  await expect(page.getByTestId('pending')).toContainText(/Not connected|Everything sent|waiting/);
  await context.close();
});
