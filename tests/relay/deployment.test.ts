import https from 'node:https';
import { rm } from 'node:fs/promises';
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
});
