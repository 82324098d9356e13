import fc from 'fast-check';
import nacl from 'tweetnacl';
import { describe, expect, it } from 'vitest';
import { createIdentity } from '../../../src/core/crypto/keys.ts';
import { BackupError, exportBackup, importBackup, MAX_BACKUP_CHARS, VaultError } from '../../../src/core/vault/index.ts';
import { FAST, seeded } from './helpers.ts';

async function codeOf(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
    return undefined;
  } catch (e) {
    return e instanceof BackupError || e instanceof VaultError ? e.code : `untyped: ${String(e)}`;
  }
}

describe('key backup', () => {
  it('Scenario: a key backup restores the same identity and fits a QR code', async () => {
    const me = createIdentity();
    const text = await exportBackup(me, 'correct horse battery', FAST, seeded(1));
    expect(text.startsWith('spmk1:')).toBe(true);
    expect(text.length).toBe(170);
    expect(text.length).toBeLessThanOrEqual(MAX_BACKUP_CHARS);
    expect(text).toMatch(/^spmk1:[A-Za-z0-9_-]+$/);
    const back = await importBackup(text, 'correct horse battery');
    expect(back).toEqual(me);
    // The restored keys work: it signs as the same agent.
    const sig = nacl.sign.detached(new Uint8Array([1]), back.signSecretKey);
    expect(nacl.sign.detached.verify(new Uint8Array([1]), sig, me.signPublicKey)).toBe(true);
    expect(text).not.toContain(Buffer.from(me.signSecretKey).toString('base64url').slice(0, 20));
  });

  it('Scenario: a wrong passphrase, a wrong prefix or a damaged backup are typed errors', async () => {
    const me = createIdentity();
    const text = await exportBackup(me, 'correct horse battery', FAST, seeded(2));
    expect(await codeOf(importBackup(text, 'correct horse battery!'))).toBe('wrong-passphrase');
    expect(await codeOf(importBackup('spmk2:' + text.slice(6), 'correct horse battery'))).toBe('wrong-prefix');
    expect(await codeOf(importBackup(text.slice(0, -4), 'correct horse battery'))).toBe('malformed');
    expect(await codeOf(importBackup('spmk1:' + 'A'.repeat(2000), 'x'))).toBe('malformed');
    // The first byte is log2(N): 'A' (0) is below the accepted bounds.
    expect(await codeOf(importBackup('spmk1:A' + text.slice(7), 'correct horse battery'))).toBe('malformed');
    expect(await codeOf(exportBackup(me, 'short', FAST))).toBe('malformed');
  });

  it('Scenario: any altered character of a backup is refused with a typed error', async () => {
    const me = createIdentity();
    const text = await exportBackup(me, 'correct horse battery', FAST, seeded(3));
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 6, max: text.length - 1 }), fc.constantFrom(...'AQgw_-9z'), async (at, ch) => {
        fc.pre(text[at] !== ch);
        const altered = text.slice(0, at) + ch + text.slice(at + 1);
        expect(await codeOf(importBackup(altered, 'correct horse battery'))).toMatch(/^(malformed|wrong-passphrase)$/);
      }),
      { numRuns: 40 },
    );
  });
});
