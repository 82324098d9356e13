import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * A home directory whose NSS database trusts `caFile` to identify websites, made with NSS's certutil
 * (Debian's libnss3-tools; .ci/run installs it). Chromium on Linux reads its user trust from
 * $HOME/.pki/nssdb, so a browser started with this HOME trusts the CA the way a phone does after its
 * owner installed the community CA: by chain building to a user-added root, name constraints enforced.
 */
export function homeTrustingCa(caFile: string): string {
  const home = mkdtempSync(path.join(os.tmpdir(), 'spm-nss-'));
  const db = path.join(home, '.pki', 'nssdb');
  mkdirSync(db, { recursive: true });
  for (const args of [
    ['-N', '-d', `sql:${db}`, '--empty-password'],
    ['-A', '-d', `sql:${db}`, '-t', 'C,,', '-n', 'community CA', '-i', caFile],
  ]) {
    const r = spawnSync('certutil', args);
    if (r.status !== 0) throw new Error(`certutil (Debian package libnss3-tools) must be installed to trust a test CA: ${r.stderr?.toString() || String(r.error)}`);
  }
  return home;
}
