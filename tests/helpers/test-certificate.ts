import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * A self-signed P-256 certificate and key made with the openssl command (.ci/run installs it): Node can
 * read X.509 but not make it. `names` is a subjectAltName list such as `DNS:localhost,IP:127.0.0.1`.
 */
export function testCertificate(opts: { days?: number; names?: string; dir?: string } = {}): { cert: string; key: string; dir: string } {
  const dir = opts.dir ?? mkdtempSync(path.join(os.tmpdir(), 'spm-tls-'));
  const tag = `${opts.days ?? 1}-${(opts.names ?? 'localhost').replace(/\W/g, '')}`;
  const cert = path.join(dir, `cert-${tag}.pem`);
  const key = path.join(dir, `key-${tag}.pem`);
  const san = ['-addext', `subjectAltName=${opts.names ?? 'DNS:localhost,IP:127.0.0.1'}`];
  const gen = spawnSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', String(opts.days ?? 1), '-subj', '/CN=localhost', ...san, '-keyout', key, '-out', cert]);
  if (gen.status !== 0) throw new Error(`openssl must be installed to make a test certificate: ${gen.stderr?.toString() ?? gen.error}`);
  return { cert, key, dir };
}
