import fc from 'fast-check';
import { generateKeyPairSync, X509Certificate } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { runAdminCommand } from '../../../relay/admin/cli.ts';
import { checkCertificate } from '../../../relay/certificate-check.ts';
import { DeploymentCheck } from '../../../relay/deployment-check.ts';
import { constraintsOf, issueRelayCertificate, makeCommunityCa, RELAY_VALIDITY_DAYS } from '../../../relay/ca/community-ca.ts';
import { buildCertificate, CertificateBuildError } from '../../../relay/x509/certificate-builder.ts';

// openspec/changes/relay-ca — the relay makes a community CA and the HTTPS certificates it signs.
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function tmp(): string {
  const d = mkdtempSync(path.join(os.tmpdir(), 'spm-ca-'));
  dirs.push(d);
  return d;
}

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runAdminCommand(argv, { out: (s) => (out += typeof s === 'string' ? s : Buffer.from(s).toString()), err: (s) => (err += s) });
  return { code, out, err };
}

/** The PEM blocks of a file, as X.509 certificates, in order. */
function chain(file: string): X509Certificate[] {
  return (readFileSync(file, 'utf8').match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? []).map((b) => new X509Certificate(b));
}

const mode = (file: string) => statSync(file).mode & 0o777;

describe('community CA made by the relay', () => {
  it('Scenario: ca init makes a CA and a relay certificate that chains to it, names the community and keeps its keys private', async () => {
    const dir = tmp();
    const r = await cli('ca', 'init', '--name', 'mesh.lan', '--ip', '10.42.0.1', '--data-dir', dir, '--json');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const made = JSON.parse(r.out) as { fingerprint: { sha256: string; words: { en: string[]; es: string[] } } };
    const ca = new X509Certificate(readFileSync(path.join(dir, 'ca/ca.pem')));
    const [leaf, servedCa] = chain(path.join(dir, 'tls/cert.pem'));
    // The chain the relay serves ends in the CA; the relay certificate is signed by it.
    expect(servedCa.fingerprint256).toBe(ca.fingerprint256);
    expect(made.fingerprint.sha256).toBe(ca.fingerprint256);
    expect(made.fingerprint.words.en).toHaveLength(8);
    expect(ca.ca).toBe(true);
    expect(ca.publicKey.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
    expect(leaf.checkIssued(ca)).toBe(true);
    expect(leaf.verify(ca.publicKey)).toBe(true);
    expect(leaf.ca).toBe(false);
    expect(leaf.publicKey.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
    expect(leaf.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1']); // serverAuth
    expect(leaf.checkHost('mesh.lan')).toBe('mesh.lan');
    expect(leaf.checkIP('10.42.0.1')).toBe('10.42.0.1');
    expect(leaf.checkHost('example.org')).toBeUndefined();
    expect(Date.parse(leaf.validTo) - Date.parse(leaf.validFrom)).toBeLessThanOrEqual(RELAY_VALIDITY_DAYS * 86_400_000);
    expect(constraintsOf(ca)).toEqual({ dns: ['mesh.lan'], ip: ['10.42.0.1/32'], excludesAllIp: false });
    expect(mode(path.join(dir, 'ca/ca-key.pem'))).toBe(0o600);
    expect(mode(path.join(dir, 'tls/key.pem'))).toBe(0o600);
    // The relay certificate's key is the one in key.pem.
    const keyPem = readFileSync(path.join(dir, 'tls/key.pem'), 'utf8');
    expect(checkCertificate(readFileSync(path.join(dir, 'tls/cert.pem')), Date.now(), 'mesh.lan')).toMatchObject({ state: 'ok', coversHost: true });
    expect(keyPem).toMatch(/BEGIN PRIVATE KEY/);
  });

  it('Scenario: ca issue signs a certificate for a second relay with the same CA', async () => {
    const dir = tmp();
    expect((await cli('ca', 'init', '--name', 'mesh.lan', '--data-dir', dir)).code).toBe(0);
    const out = path.join(tmp(), 'island-b');
    const r = await cli('ca', 'issue', '--name', 'mesh.lan', '--data-dir', dir, '--out', out);
    expect(r.code).toBe(0);
    expect(r.out).toContain(`--tls-cert ${out}/cert.pem --tls-key ${out}/key.pem`);
    const ca = new X509Certificate(readFileSync(path.join(dir, 'ca/ca.pem')));
    const [leaf, servedCa] = chain(path.join(out, 'cert.pem'));
    expect(servedCa.fingerprint256).toBe(ca.fingerprint256);
    expect(leaf.verify(ca.publicKey)).toBe(true);
    expect(leaf.checkHost('mesh.lan')).toBe('mesh.lan');
    expect(mode(path.join(out, 'key.pem'))).toBe(0o600);
    // Only the relay's files are written there: the CA key stays where it was made.
    expect(existsSync(path.join(out, 'ca-key.pem'))).toBe(false);
  });

  it('Scenario: a missing CA, a name outside the CA or files already there are refused with a clear error and nothing is overwritten', async () => {
    const dir = tmp();
    expect((await cli('ca', 'init', '--name', 'mesh.lan', '--data-dir', dir)).code).toBe(0);
    const before = readFileSync(path.join(dir, 'ca/ca-key.pem'), 'utf8');
    const again = await cli('ca', 'init', '--name', 'mesh.lan', '--data-dir', dir);
    expect(again.code).toBe(1);
    expect(again.err).toMatch(/already exist.*nothing was written/);
    expect(readFileSync(path.join(dir, 'ca/ca-key.pem'), 'utf8')).toBe(before);

    const out = path.join(tmp(), 'other');
    const wrongName = await cli('ca', 'issue', '--name', 'bank.example', '--data-dir', dir, '--out', out);
    expect(wrongName.code).toBe(1);
    expect(wrongName.err).toMatch(/may not sign for bank\.example: it is limited to mesh\.lan/);
    const ip = await cli('ca', 'issue', '--name', 'mesh.lan', '--ip', '192.168.1.1', '--data-dir', dir, '--out', out);
    expect(ip.err).toMatch(/may not sign for 192\.168\.1\.1.*no IP address/);
    expect(existsSync(out)).toBe(false);

    const noCa = await cli('ca', 'issue', '--name', 'mesh.lan', '--data-dir', tmp(), '--out', out);
    expect(noCa.code).toBe(1);
    expect(noCa.err).toMatch(/no community CA certificate at .*ca\.pem: run "ca init"/);

    const badName = await cli('ca', 'init', '--name', 'not a name!', '--data-dir', tmp());
    expect(badName.code).toBe(2);
    expect(badName.err).toMatch(/not a host name/);

    // A CA key that is not the CA certificate's is found before anything is signed.
    const other = makeCommunityCa({ name: 'mesh.lan' });
    const ca = { certPem: readFileSync(path.join(dir, 'ca/ca.pem'), 'utf8'), keyPem: other.keyPem };
    expect(() => issueRelayCertificate(ca, { name: 'mesh.lan' })).toThrow(/does not belong to the CA certificate/);
  });

  it('Scenario: certificates the CA signs chain to it and name exactly what was asked; names outside it are refused', () => {
    const label = fc.stringMatching(/^[a-z0-9](?:[a-z0-9-]{0,10}[a-z0-9])?$/);
    const ipv4 = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((p) => p.join('.'));
    fc.assert(
      fc.property(fc.array(label, { minLength: 1, maxLength: 3 }), fc.option(ipv4, { nil: undefined }), label, (labels, ip, sub) => {
        const name = `${labels.join('.')}.lan`;
        const ca = makeCommunityCa({ name, ...(ip ? { ip } : {}) });
        const caCert = new X509Certificate(ca.certPem);
        for (const host of [name, `${sub}.${name}`]) {
          const leaf = new X509Certificate(issueRelayCertificate(ca, { name: host, ...(ip ? { ip } : {}) }).certPem);
          expect(leaf.verify(caCert.publicKey)).toBe(true);
          expect(leaf.checkHost(host)).toBe(host);
          if (ip) expect(leaf.checkIP(ip)).toBe(ip);
        }
        expect(() => issueRelayCertificate(ca, { name: `${name}.evil` })).toThrow(/may not sign for/);
      }),
      { numRuns: 6 }, // each run makes a CA and two certificates: seconds apiece on a loaded machine
    );
  });

  it('Scenario: a relay certificate the CA made warns before it expires, and says to renew it with ca issue', async () => {
    const ca = makeCommunityCa({ name: 'mesh.lan' });
    const old = issueRelayCertificate(ca, { name: 'mesh.lan' }, new Date(Date.now() - (RELAY_VALIDITY_DAYS - 10) * 86_400_000));
    const file = path.join(tmp(), 'cert.pem');
    writeFileSync(file, old.chainPem);
    // The relay's own check (log at start and daily, /api/status), on the chain file as --tls-cert names it.
    const warned: string[] = [];
    const log = pino({ level: 'warn' }, { write: (line: string) => void warned.push(line) });
    const check = new DeploymentCheck('https://mesh.lan', file, () => [], log);
    await check.start();
    check.close();
    const report = check.status().certificate!;
    expect(report.state).toBe('expiring');
    expect(report.coversHost).toBe(true);
    expect(report.warnings.join('\n')).toMatch(/expires in \d+ days .*ca issue/);
    expect(warned.join('\n')).toMatch(/expires in \d+ days .*ca issue/);
    // A certificate from elsewhere keeps the public-CA advice.
    expect(checkCertificate(old.certPem, Date.now(), 'mesh.lan').warnings.join('\n')).not.toMatch(/ca issue/);
  });

  it('Scenario: the one certificate builder signs with ed25519 and P-256 and refuses other keys', () => {
    for (const key of [generateKeyPairSync('ed25519'), generateKeyPairSync('ec', { namedCurve: 'prime256v1' })]) {
      const der = buildCertificate({ subject: 'x', subjectKey: key.publicKey, notBefore: new Date(), notAfter: new Date(Date.now() + 86_400_000), extensions: [] }, key.privateKey);
      expect(new X509Certificate(der).verify(key.publicKey)).toBe(true);
    }
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 });
    expect(() => buildCertificate({ subject: 'x', subjectKey: rsa.publicKey, notBefore: new Date(), notAfter: new Date(), extensions: [] }, rsa.privateKey)).toThrow(CertificateBuildError);
  });
});
