import { createHash, createPrivateKey, generateKeyPairSync, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import * as asn from '@peculiar/asn1-x509';
import { chromium } from '@playwright/test';
import { expect, test, type Browser } from './fixtures.ts';
import { runAdminCommand } from '../../relay/admin/cli.ts';
import { buildCertificate, certificatePem, extension } from '../../relay/x509/certificate-builder.ts';
import { homeTrustingCa } from '../helpers/browser-trust.ts';
import { launchOptions } from '../helpers/browser.ts';
import { startRelayProcess, type RelayProcess } from '../helpers/relay-process.ts';
import { browse, card, join, post, waitForServiceWorker } from './phone.ts';

// openspec/specs/pwa-install — a relay with a certificate for the community's name gives phones a secure
// context: the service worker installs and the app starts with no network at all. The certificate is the
// relay's own (`ca init`, openspec/changes/relay-ca), and the browser trusts the community CA the way a
// phone does once its owner installed it (an NSS database in the browser's home, tests/helpers/browser-trust.ts).
const NAME = 'mesh.test';

let relay: RelayProcess;
let browser: Browser;
let caDir = '';
let home = '';

test.beforeAll(async () => {
  caDir = mkdtempSync(path.join(os.tmpdir(), 'spm-ca-e2e-'));
  const code = await runAdminCommand(['ca', 'init', '--name', NAME, '--data-dir', caDir], { out: () => {}, err: (s) => process.stderr.write(s) });
  if (code !== 0) throw new Error(`ca init failed (${code})`);
  home = homeTrustingCa(path.join(caDir, 'ca/ca.pem'));
  relay = await startRelayProcess({ args: ['--tls-cert', path.join(caDir, 'tls/cert.pem'), '--tls-key', path.join(caDir, 'tls/key.pem'), '--install-port', '0'] });
  // The browser finds the community names as the access point's DNS would answer them.
  browser = await chromium.launch({
    ...launchOptions,
    env: { ...process.env, HOME: home },
    args: [...launchOptions.args, `--host-resolver-rules=MAP ${NAME} 127.0.0.1, MAP bank.test 127.0.0.1`],
  });
});

test.afterAll(async () => {
  await browser?.close();
  await relay?.cleanup();
  for (const d of [caDir, home]) if (d) rmSync(d, { recursive: true, force: true });
});

test('Scenario: over HTTPS with the community name the service worker installs and the app starts offline', async () => {
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

test('Scenario: over plain HTTP a phone gets the install page in Spanish, with the certificate whose fingerprint it shows', async () => {
  const port = new URL(relay.installUrl!).port;
  const context = await browser.newContext({ viewport: { width: 360, height: 740 }, hasTouch: true, isMobile: true, locale: 'es-ES' });
  const page = await context.newPage();
  // Whatever the person types on the island's Wi-Fi leads to the page: the app is only served over HTTPS.
  const answer = await page.goto(`http://${NAME}:${port}/`);
  expect(answer?.status()).toBe(200);
  expect(new URL(page.url()).pathname).toBe('/install');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Confía en este centro de la comunidad desde tu teléfono');
  await expect(page.getByText('Ajustes de confianza de certificados', { exact: false })).toBeVisible();
  await expect(page.getByTestId('qr').locator('svg')).toBeVisible();
  await page.getByText('Detalles', { exact: true }).tap();
  const shown = (await page.getByTestId('sha256').textContent())!.trim();
  // The file the phone downloads with the page's button, as the person would.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download').tap()]);
  const der = readFileSync((await download.path())!);
  expect(createHash('sha256').update(der).digest('hex').toUpperCase().match(/../g)!.join(':')).toBe(shown);
  expect(new X509Certificate(der).ca).toBe(true);
  // The page fits a phone's width: nothing to scroll sideways.
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
  await context.close();
});

test('Scenario: a certificate the community CA key signs for another site is refused by a browser that trusts the CA', async () => {
  // What a thief of the CA key could do: sign for a bank's name. The CA's name constraint stops it.
  const caPem = readFileSync(path.join(caDir, 'ca/ca.pem'), 'utf8');
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const forged = buildCertificate(
    {
      subject: 'bank.test',
      issuer: new X509Certificate(caPem).subject.replace(/^CN=/, ''),
      subjectKey: publicKey,
      notBefore: new Date(Date.now() - 3600e3),
      notAfter: new Date(Date.now() + 30 * 86_400_000),
      extensions: [
        extension(asn.id_ce_extKeyUsage, false, new asn.ExtendedKeyUsage([asn.id_kp_serverAuth])),
        extension(asn.id_ce_subjectAltName, false, new asn.SubjectAlternativeName([new asn.GeneralName({ dNSName: 'bank.test' })])),
      ],
    },
    createPrivateKey(readFileSync(path.join(caDir, 'ca/ca-key.pem'))),
  );
  const server = https.createServer({ cert: certificatePem(forged) + caPem, key: privateKey.export({ format: 'pem', type: 'pkcs8' }) }, (_req, res) => res.end('not your bank'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const page = await browser.newPage();
  try {
    await expect(page.goto(`https://bank.test:${(server.address() as AddressInfo).port}/`)).rejects.toThrow(/ERR_CERT/);
  } finally {
    await page.close();
    server.close();
  }
});
