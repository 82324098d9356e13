import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultSettings, settingProblem, settingsProblem } from '../../../src/core/model/community-settings.ts';
import { checkCertificate } from '../../../relay/certificate-check.ts';
import { checkOrigin, defaultOrigin, normaliseOrigin } from '../../../relay/origin-check.ts';
import { testCertificate } from '../../helpers/test-certificate.ts';

// openspec/specs/pwa-install — one origin on every island; a certificate that warns before it expires
const dir = mkdtempSync(path.join(os.tmpdir(), 'spm-cert-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const certificate = (days: number, names: string): string => readFileSync(testCertificate({ days, names, dir }).cert, 'utf8');

const DAY = 86_400_000;

describe('one origin and its certificate', () => {
  it('Scenario: the relay says which origin phones see and warns when it is not a secure context or differs from the community', () => {
    const plain = checkOrigin('http://10.42.0.1:8080', [{ id: 'c1' }], false);
    expect(plain.secure).toBe(false);
    expect(plain.warnings.join(' ')).toMatch(/cannot start offline or be installed/);
    expect(plain.communities).toEqual([{ id: 'c1', origin: '', matches: null }]);

    const mine = checkOrigin('https://mesh.lan', [{ id: 'c1', origin: 'https://mesh.lan' }, { id: 'c2', origin: 'https://other.lan' }], true);
    expect(mine.secure).toBe(true);
    expect(mine.communities.map((c) => c.matches)).toEqual([true, false]);
    expect(mine.warnings).toHaveLength(1);
    expect(mine.warnings[0]).toMatch(/c2 is at https:\/\/other\.lan/);

    expect(checkOrigin('http://localhost:8080', [], false).warnings).toEqual([]); // browsers trust loopback
    expect(checkOrigin('https://mesh.lan', [], false).warnings.join(' ')).toMatch(/TLS proxy/);
  });

  it('Scenario: an origin is a scheme, a host and a port, nothing else', () => {
    expect(normaliseOrigin('https://Mesh.LAN:443/')).toBe('https://mesh.lan');
    for (const bad of ['mesh.lan', 'ftp://mesh.lan', 'https://mesh.lan/app', 'https://u:p@mesh.lan', 'https://mesh.lan/?q', 'javascript:alert(1)', ''])
      expect(normaliseOrigin(bad)).toBeNull();
    expect(defaultOrigin('0.0.0.0', 8080, false)).toBe('http://localhost:8080');
    expect(defaultOrigin('10.42.0.1', 443, true)).toBe('https://10.42.0.1');
    expect(defaultOrigin('fd00::1', 80, false)).toBe('http://[fd00::1]');
    fc.assert(
      fc.property(fc.string(), (s) => {
        const o = normaliseOrigin(s);
        if (o !== null) expect(normaliseOrigin(o)).toBe(o); // idempotent, never throws
      }),
    );
  });

  it('Scenario: a certificate that expires within 30 days shows as expiring, then expired, and one that does not name the host is flagged', () => {
    const pem = certificate(10, 'DNS:mesh.lan,IP:10.42.0.1');
    const longPem = certificate(365, 'DNS:*.mesh.lan');
    // After both are made: a certificate is valid from the second openssl made it, and openssl can be slow.
    const now = Date.now();
    const soon = checkCertificate(pem, now, 'mesh.lan');
    expect(soon.state).toBe('expiring');
    expect(soon.daysLeft).toBeGreaterThanOrEqual(9);
    expect(soon.names).toEqual(['mesh.lan', '10.42.0.1']);
    expect(soon.coversHost).toBe(true);
    expect(soon.warnings.join(' ')).toMatch(/expires in \d+ days/);
    expect(checkCertificate(pem, now, '10.42.0.1').coversHost).toBe(true);
    expect(checkCertificate(pem, now + 11 * DAY).state).toBe('expired');
    expect(checkCertificate(pem, now - 2 * DAY).state).toBe('not-yet-valid');
    const other = checkCertificate(pem, now, 'island-b.lan');
    expect(other.coversHost).toBe(false);
    expect(other.warnings.join(' ')).toMatch(/does not name island-b\.lan/);

    const long = checkCertificate(longPem, now, 'a.mesh.lan');
    expect(long.state).toBe('ok');
    expect(long.coversHost).toBe(true);
    expect(long.warnings).toEqual([]);
  });

  it("Scenario: the community's origin is an optional signed setting that must be exactly an origin", () => {
    for (const ok of ['', 'https://mesh.lan', 'http://10.42.0.1:8080', 'https://[fd00::1]:8443']) expect(settingProblem('origin', ok)).toBeNull();
    for (const bad of ['https://mesh.lan/', 'https://Mesh.lan', 'https://mesh.lan:443', 'http://mesh.lan:80', 'ftp://x', 'https://x:99999', 'https://x:0808', 1, null])
      expect(settingProblem('origin', bad)).not.toBeNull();
    expect(settingsProblem(defaultSettings('Town'))).toBeNull(); // a founding record without it is complete
    expect(settingsProblem({ ...defaultSettings('Town'), origin: 'https://mesh.lan' })).toBeNull();
    expect(settingsProblem({ ...defaultSettings('Town'), origin: 'mesh.lan' })).not.toBeNull();
    fc.assert(fc.property(fc.anything(), (v) => void settingProblem('origin', v))); // total
  });
});
