import https from 'node:https';
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { runAdminCommand } from '../../relay/admin/cli.ts';
import { afterAll, describe, expect, it } from 'vitest';
import { startRelayProcess, type RelayProcess } from '../helpers/relay-process.ts';
import { testCertificate } from '../helpers/test-certificate.ts';

// openspec/specs/pwa-install — one origin on every island; the relay warns before its certificate expires
interface Deployment {
  origin: { origin: string; secure: boolean; communities: Array<{ origin: string; matches: boolean | null }>; warnings: string[] };
  certificate?: { state: string; daysLeft: number; coversHost: boolean };
}
const running: RelayProcess[] = [];
const dirs: string[] = [];
afterAll(async () => {
  for (const r of running) await r.cleanup();
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

function getJson(url: string): Promise<{ deployment: Deployment }> {
  return new Promise((resolve, reject) => {
    // The test certificate is self-signed: this client checks what the relay says, not the chain.
    https.get(url, { rejectUnauthorized: false }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve(JSON.parse(body) as { deployment: Deployment }));
    }).on('error', reject);
  });
}

describe('deployment checks', () => {
  it('Scenario: a relay whose HTTPS certificate expires in 10 days says so in status and in its log', async () => {
    const { cert, key, dir } = testCertificate({ days: 10, names: 'DNS:localhost,IP:127.0.0.1' });
    dirs.push(dir);
    const r = await startRelayProcess({ args: ['--tls-cert', cert, '--tls-key', key] });
    running.push(r);
    const { deployment } = await getJson(`${r.url}/api/status`);
    expect(deployment.origin.secure).toBe(true);
    expect(deployment.certificate?.state).toBe('expiring');
    expect(deployment.certificate?.daysLeft).toBeGreaterThanOrEqual(8);
    expect(deployment.certificate?.coversHost).toBe(true);
    expect(r.logs.join('\n')).toMatch(/certificate expires in \d+ days/);
  });

  it('Scenario: a relay started with an origin names it in the community it founds and warns that plain HTTP cannot install', async () => {
    const r = await startRelayProcess({ args: ['--origin', 'http://10.42.0.1:8080'] });
    running.push(r);
    await expect
      .poll(async () => ((await (await fetch(`${r.url}/api/status`)).json()) as { deployment: Deployment }).deployment.origin.communities[0]?.origin, { timeout: 15_000 })
      .toBe('http://10.42.0.1:8080');
    const { deployment } = (await (await fetch(`${r.url}/api/status`)).json()) as { deployment: Deployment };
    expect(deployment.origin.origin).toBe('http://10.42.0.1:8080');
    expect(deployment.origin.secure).toBe(false);
    expect(deployment.origin.communities[0].matches).toBe(true);
    expect(r.logs.join('\n')).toMatch(/not a secure context/);
  });

  it('Scenario: a relay with a certificate from its own CA serves the install page and the CA over plain HTTP, in Spanish', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'spm-ca-relay-'));
    dirs.push(dir);
    let made = '';
    const code = await runAdminCommand(['ca', 'init', '--name', 'mesh.lan', '--ip', '127.0.0.1', '--data-dir', dir, '--json'], { out: (s) => (made += String(s)), err: () => {} });
    expect(code).toBe(0);
    const { fingerprint } = JSON.parse(made) as { fingerprint: { sha256: string; words: { es: string[] } } };
    const r = await startRelayProcess({ args: ['--tls-cert', path.join(dir, 'tls/cert.pem'), '--tls-key', path.join(dir, 'tls/key.pem'), '--install-port', '0', '--origin', 'https://mesh.lan'] });
    running.push(r);
    expect(r.installUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

    const page = await fetch(`${r.installUrl}/install`, { headers: { 'accept-language': 'es-ES,es;q=0.9,en;q=0.5' } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await page.text();
    expect(html).toContain('Confía en este centro de la comunidad');
    expect(html).toContain(fingerprint.words.es.join(' '));
    expect(html).toContain(fingerprint.sha256);
    expect(html).toContain('href="https://mesh.lan"');

    // The certificate a phone downloads is the one whose fingerprint the page shows.
    const crt = await fetch(`${r.installUrl}/ca.crt`);
    expect(crt.headers.get('content-type')).toBe('application/x-x509-ca-cert');
    const der = Buffer.from(await crt.arrayBuffer());
    expect(createHash('sha256').update(der).digest('hex').toUpperCase().match(/../g)!.join(':')).toBe(fingerprint.sha256);
    expect(await (await fetch(`${r.installUrl}/ca.pem`)).text()).toMatch(/^-----BEGIN CERTIFICATE-----/);

    // The app is not served in the clear: any other path leads to the page.
    const other = await fetch(`${r.installUrl}/`, { redirect: 'manual' });
    expect(other.status).toBe(302);
    expect(other.headers.get('location')).toBe('/install');
    expect((await fetch(`${r.installUrl}/api/status`, { redirect: 'manual' })).status).toBe(302);

    // Over HTTPS the relay-made certificate is reported like any other (covers the origin's host, not expiring).
    const { deployment } = await getJson(`${r.url}/api/status`);
    expect(deployment.certificate?.state).toBe('ok');
    expect(deployment.certificate?.coversHost).toBe(true);
  });
});
