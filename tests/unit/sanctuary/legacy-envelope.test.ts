import nacl from 'tweetnacl';
import { describe, expect, it } from 'vitest';
import { fromBase64Url, randomId, toBase64Url } from '../../../src/core/crypto/encoding.ts';
import type { Identity } from '../../../src/core/crypto/keys.ts';
import { signRecord } from '../../../src/core/crypto/sign.ts';
import { buildKeyring as buildAudienceKeyring, chainOf } from '../../../src/core/audience/index.ts';
import { buildKeyring, currentKey, newSanctuaryKey, sealKeyEnvelope } from '../../../src/core/sanctuary/index.ts';
import type { LegacySanctuaryEnvelope } from '../../../src/core/audience/legacy-envelope.ts';
import type { Profile } from '../../../src/core/model/types.ts';
import { community, NOW } from './helpers.ts';

/** The envelope exactly as phones wrote it before audience keys existed (one key, type 'sanctuary-key'). */
function legacyEnvelope(issuer: Identity, epoch: number, key: Uint8Array, to: Profile) {
  const nonce = nacl.randomBytes(nacl.box.nonceLength);
  const ct = nacl.box(key, nonce, fromBase64Url(to.boxKey), issuer.boxSecretKey);
  return signRecord<LegacySanctuaryEnvelope>(
    { type: 'sanctuary-key', id: randomId(nacl.randomBytes), author: issuer.agentId, epoch, to: to.author, nonce: toBase64Url(nonce), ct: toBase64Url(ct), created: NOW },
    issuer.signSecretKey,
  );
}

describe('sanctuary key envelopes written before audience keys', () => {
  it('Scenario: a sanctuary set up before audience keys stays readable', () => {
    const c = community();
    const old = newSanctuaryKey(1);
    const env = legacyEnvelope(c.s1.id, 1, old.key, c.trusted.profile);
    const { keyring, rejected } = buildKeyring(c.trusted.id, [env], c.profileOf, c.ctx());
    expect(rejected).toEqual([]);
    expect(currentKey(keyring)).toEqual({ epoch: 1, key: old.key });

    // A steward who opened the old key carries it in the next chain envelope, so members migrate.
    const stewardRing = buildKeyring(c.s1.id, [legacyEnvelope(c.s1.id, 1, old.key, c.s1.profile)], c.profileOf, c.ctx()).keyring;
    const next = newSanctuaryKey(2);
    const chainEnv = sealKeyEnvelope(c.s1.id, next, c.trusted.profile, NOW, undefined, chainOf(stewardRing));
    const migrated = buildKeyring(c.trusted.id, [chainEnv], c.profileOf, c.ctx()).keyring;
    expect(migrated.get(1)).toEqual([old.key]);
  });

  it('Scenario: a legacy envelope never yields a key of another audience', () => {
    const c = community();
    const env = legacyEnvelope(c.s1.id, 1, newSanctuaryKey(1).key, c.trusted.profile);
    const { keyring, rejected } = buildAudienceKeyring(c.trusted.id, 'members', [env], c.profileOf, () => true);
    expect(keyring.size).toBe(0);
    expect(rejected).toEqual([]);
  });

  it('Scenario: a forged legacy envelope is refused with a reason', () => {
    const c = community();
    const env = { ...legacyEnvelope(c.s1.id, 1, newSanctuaryKey(1).key, c.trusted.profile), epoch: 7 };
    const { keyring, rejected } = buildKeyring(c.trusted.id, [env], c.profileOf, c.ctx());
    expect(keyring.size).toBe(0);
    expect(rejected.map((r) => r.reason)).toEqual(['forged-signature']);
  });
});
