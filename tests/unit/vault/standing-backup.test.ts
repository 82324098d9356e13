import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createIdentity } from '../../../src/core/crypto/keys.ts';
import {
  BackupError,
  decoyIdentity,
  decoyNoise,
  DECOY_SEALED_BYTES,
  exportBackup,
  exportStandingBackup,
  importStandingBackup,
  MAX_BACKUP_ANCHORS,
  MAX_BACKUP_CHARS,
  openDecoyProfile,
  sealDecoyProfile,
} from '../../../src/core/vault/index.ts';
import { FAST, seeded } from './helpers.ts';

const PASS = 'correct horse battery';
const agentId = () => createIdentity().agentId;

async function codeOf(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
    return undefined;
  } catch (e) {
    return e instanceof BackupError ? e.code : `untyped: ${String(e)}`;
  }
}

describe('backup with standing', () => {
  it('Scenario: a backup brings back the keys, the community, the anchors and founding, and fits a QR code', async () => {
    const me = createIdentity();
    const standing = { communityUrl: 'automerge:2j9knpCseyhnK8izDmLpGP5WMdZQ', anchors: Array.from({ length: MAX_BACKUP_ANCHORS + 3 }, agentId), founder: true, pinnedFounder: agentId(), pinnedRetirement: 'R'.repeat(16) };
    const text = await exportStandingBackup(me, standing, PASS, FAST, seeded(1));
    expect(text).toMatch(/^spmk2:[A-Za-z0-9_-]+$/);
    expect(text.length).toBeLessThanOrEqual(MAX_BACKUP_CHARS);
    const back = await importStandingBackup(text, PASS);
    expect(back.identity).toEqual(me);
    expect(back.standing).toEqual({ ...standing, anchors: standing.anchors.slice(0, MAX_BACKUP_ANCHORS) });
    for (const a of standing.anchors) expect(text).not.toContain(a.slice(0, 12));
    // The founder the phone pinned comes back too (a restored phone is not fooled by a forged founding
    // record either); a backup from before carried none and restores without one.
    expect(back.standing?.pinnedFounder).toBe(standing.pinnedFounder);
    // So does the founder's retirement it holds to (model/retirement.ts).
    expect(back.standing?.pinnedRetirement).toBe(standing.pinnedRetirement);
    const { pinnedFounder: _, pinnedRetirement: _r, ...older } = standing;
    const restored = (await importStandingBackup(await exportStandingBackup(me, older, PASS, FAST, seeded(2)), PASS)).standing;
    expect(restored?.pinnedFounder).toBeUndefined();
    expect(restored?.pinnedRetirement).toBeUndefined();
  });

  it('Scenario: an older keys-only backup still restores, with no standing', async () => {
    const me = createIdentity();
    const back = await importStandingBackup(await exportBackup(me, PASS, FAST, seeded(2)), PASS);
    expect(back).toEqual({ identity: me, standing: null });
  });

  it('Scenario: a wrong passphrase, a wrong prefix or any altered character is a typed error', async () => {
    const text = await exportStandingBackup(createIdentity(), { communityUrl: null, anchors: [], founder: false }, PASS, FAST, seeded(3));
    expect(await codeOf(importStandingBackup(text, 'wrong horse battery'))).toBe('wrong-passphrase');
    expect(await codeOf(importStandingBackup('spmk9:' + text.slice(6), PASS))).toBe('wrong-prefix');
    expect(await codeOf(importStandingBackup(42, PASS))).toBe('wrong-prefix');
    expect(await codeOf(importStandingBackup('spmk2:' + 'A'.repeat(2000), PASS))).toBe('malformed');
    await fc.assert(
      fc.asyncProperty(fc.nat(text.length - 7), fc.constantFrom(...'ABCxyz019-_'), async (i, c) => {
        const at = 6 + i;
        fc.pre(text[at] !== c);
        const altered = text.slice(0, at) + c + text.slice(at + 1);
        expect(await codeOf(importStandingBackup(altered, PASS))).toMatch(/^(malformed|wrong-passphrase)$/);
      }),
      { numRuns: 25 },
    );
  });
});

describe('decoy profile', () => {
  it('Scenario: the decoy profile opens only with the decoy key and is the same size as noise', () => {
    const key = seeded(4)(32);
    const sealed = sealDecoyProfile(key, { name: 'Ana', communityName: 'Riverside' }, seeded(5));
    expect(sealed.length).toBe(DECOY_SEALED_BYTES);
    expect(decoyNoise(seeded(6)).length).toBe(DECOY_SEALED_BYTES);
    expect(openDecoyProfile(key, sealed)).toEqual({ name: 'Ana', communityName: 'Riverside' });
    expect(openDecoyProfile(seeded(7)(32), sealed)).toBeNull();
    expect(openDecoyProfile(key, decoyNoise())).toBeNull();
    expect(openDecoyProfile(key, 'garbage')).toBeNull();
    expect(decoyIdentity(key)).toEqual(decoyIdentity(key));
    expect(decoyIdentity(key).agentId).not.toBe(decoyIdentity(seeded(8)(32)).agentId);
  });
});
