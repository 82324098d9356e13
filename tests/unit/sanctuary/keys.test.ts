import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createIdentity } from '../../../src/core/crypto/keys.ts';
import { signRecord } from '../../../src/core/crypto/sign.ts';
import { createProfile } from '../../../src/core/model/community.ts';
import {
  MAX_KEYS_PER_EPOCH,
  SanctuaryInputError,
  SanctuaryKeyError,
  addKey,
  buildKeyring,
  chainOf,
  currentKey,
  entitledMembers,
  keysToTry,
  newSanctuaryKey,
  openKeyEnvelope,
  sealKeyEnvelope,
  type SanctuaryKeyEnvelope,
} from '../../../src/core/sanctuary/index.ts';
import { community, NOW } from './helpers.ts';
import { thrownCode } from '../../helpers/thrown-code.ts';

const codeOf = (f: () => unknown) => thrownCode(SanctuaryKeyError, f) ?? 'opened';

describe('sanctuary key envelopes', () => {
  it('Scenario: an entitled member opens the key envelope a steward sealed for them', () => {
    const c = community();
    const key = newSanctuaryKey(3);
    const env = sealKeyEnvelope(c.s1.id, key, c.s2.profile, NOW);
    expect(env).toMatchObject({ type: 'audience-key', audience: 'sanctuary', epoch: 3, to: c.s2.id.agentId, author: c.s1.id.agentId, created: NOW });
    const opened = openKeyEnvelope(c.s2.id, env, c.s1.profile);
    expect(opened.epoch).toBe(3);
    expect(opened.key).toEqual(key.key);
    expect(JSON.stringify(env)).not.toContain(Buffer.from(key.key).toString('base64url'));
  });

  it('Scenario: key envelopes fail with typed errors', () => {
    const c = community();
    const env = sealKeyEnvelope(c.s1.id, newSanctuaryKey(1), c.s2.profile, NOW);
    expect(codeOf(() => openKeyEnvelope(c.s2.id, { ...env, nonce: 'x' }, c.s1.profile))).toBe('malformed');
    expect(codeOf(() => openKeyEnvelope(c.s2.id, null, c.s1.profile))).toBe('malformed');
    expect(codeOf(() => openKeyEnvelope(c.trusted.id, env, c.s1.profile))).toBe('not-for-me');
    expect(codeOf(() => openKeyEnvelope(c.s2.id, { ...env, epoch: 2 }, c.s1.profile))).toBe('forged-signature');
    expect(codeOf(() => openKeyEnvelope(c.s2.id, env, c.s3.profile))).toBe('sender-profile');
    expect(codeOf(() => openKeyEnvelope(c.s2.id, env, undefined))).toBe('sender-profile');
    expect(codeOf(() => openKeyEnvelope(c.s2.id, env, { ...c.s1.profile, name: 'changed' }))).toBe('sender-profile');
    // Correctly signed by s1 but boxed with someone else's box key: does not open.
    const other = createIdentity();
    const wrongBox = signRecord<SanctuaryKeyEnvelope>({ ...stripSig(sealKeyEnvelope(other, newSanctuaryKey(1), c.s2.profile, NOW)), author: c.s1.id.agentId }, c.s1.id.signSecretKey);
    expect(codeOf(() => openKeyEnvelope(c.s2.id, wrongBox, c.s1.profile))).toBe('cannot-open');
    // A steward boxing something that is not a 32-byte key.
    const short = sealKeyEnvelope(c.s1.id, { epoch: 1, key: new Uint8Array(16) }, c.s2.profile, NOW);
    expect(codeOf(() => openKeyEnvelope(c.s2.id, short, c.s1.profile))).toBe('bad-key');
  });

  it('Scenario: arbitrary envelope contents never throw anything but a typed error (property)', () => {
    const c = community();
    const env = sealKeyEnvelope(c.s1.id, newSanctuaryKey(1), c.s2.profile, NOW);
    const fields = ['type', 'id', 'epoch', 'to', 'author', 'nonce', 'ct', 'created', 'sig'] as const;
    fc.assert(
      fc.property(fc.constantFrom(...fields), fc.anything(), (field, value) => {
        const code = codeOf(() => openKeyEnvelope(c.s2.id, { ...env, [field]: value }, c.s1.profile));
        if (JSON.stringify(value) !== JSON.stringify(env[field])) expect(code).not.toBe('opened');
      }),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(fc.anything(), (v) => {
        expect(codeOf(() => openKeyEnvelope(c.s2.id, v, c.s1.profile))).not.toBe('opened');
      }),
      { numRuns: 200 },
    );
  });

  it('Scenario: a steward cannot seal a key to a profile that does not verify', () => {
    const c = community();
    expect(() => sealKeyEnvelope(c.s1.id, newSanctuaryKey(1), { ...c.trusted.profile, boxKey: c.s2.profile.boxKey }, NOW)).toThrow(SanctuaryInputError);
    expect(() => newSanctuaryKey(-1)).toThrow(SanctuaryInputError);
  });
});

describe('keyring', () => {
  it('Scenario: only keys from stewards count; a key from anyone else is kept to read with, never to seal with', () => {
    const c = community();
    const k1 = newSanctuaryKey(1);
    const k2 = newSanctuaryKey(2);
    const fromSteward = sealKeyEnvelope(c.s1.id, k1, c.trusted.profile, NOW);
    const fromTrusted = sealKeyEnvelope(c.trusted.id, k2, c.trusted.profile, NOW);
    const toSomeoneElse = sealKeyEnvelope(c.s1.id, newSanctuaryKey(3), c.s2.profile, NOW);
    const forged = { ...sealKeyEnvelope(c.s1.id, k2, c.trusted.profile, NOW), epoch: 9 };
    const { keyring, rejected } = buildKeyring(c.trusted.id, [fromSteward, fromTrusted, toSomeoneElse, forged, 'junk'], c.profileOf, c.ctx());
    expect([...keyring.keys()]).toEqual([1]);
    expect(currentKey(keyring)).toEqual(k1);
    expect(keysToTry(keyring, 2)).toEqual([k2.key]);
    expect(chainOf(keyring)).toEqual([k1]);
    expect(rejected.map((r) => r.reason).sort()).toEqual(['forged-signature', 'malformed']);
    // Once a steward names k2 in an envelope to anyone, it counts on every phone that holds it.
    const named = sealKeyEnvelope(c.s1.id, k2, c.s2.profile, NOW);
    const after = buildKeyring(c.trusted.id, [fromSteward, fromTrusted, named], c.profileOf, c.ctx()).keyring;
    expect(currentKey(after)).toEqual(k2);
  });

  it('Scenario: two stewards rotating at once leave two keys for one epoch, both usable', () => {
    const a = newSanctuaryKey(5);
    const b = newSanctuaryKey(5);
    const ring1 = addKey(addKey(new Map(), a), b);
    const ring2 = addKey(addKey(new Map(), b), a);
    expect(ring1.get(5)).toHaveLength(2);
    expect(ring1.get(5)).toEqual(ring2.get(5));
    expect(currentKey(ring1)).toEqual(currentKey(ring2));
    expect(addKey(ring1, a)).toBe(ring1);
    let ring = ring1;
    for (let i = 0; i < 20; i++) ring = addKey(ring, newSanctuaryKey(5));
    expect(ring.get(5)).toHaveLength(MAX_KEYS_PER_EPOCH);
    expect(currentKey(new Map())).toBeNull();
  });
});

describe('entitled members', () => {
  it('Scenario: key envelopes go only to members the issuing steward sees at the sanctuary tier', () => {
    const c = community();
    const stewardsOnly = entitledMembers(c.members, c.ctx().scores, { thresholds: c.ctx().thresholds, sanctuaryTier: 'steward' });
    expect(stewardsOnly.map((p) => p.author).sort()).toEqual([c.s1, c.s2, c.s3].map((p) => p.id.agentId).sort());
    const withTrusted = entitledMembers(c.members, c.ctx().scores, { thresholds: c.ctx().thresholds, sanctuaryTier: 'trusted' });
    expect(withTrusted.map((p) => p.author).sort()).toEqual([c.s1, c.s2, c.s3, c.trusted].map((p) => p.id.agentId).sort());
  });

  it('Scenario: a member entry with a forged profile gets no key', () => {
    const c = community();
    const intruder = createIdentity();
    const forgedProfile = { ...createProfile(intruder, 'x', NOW), name: 'Steward Two' };
    const members = { ...c.members, [c.s2.id.agentId]: { ...c.members[c.s2.id.agentId], profile: forgedProfile } };
    const out = entitledMembers(members, c.ctx().scores, { thresholds: c.ctx().thresholds, sanctuaryTier: 'steward' });
    expect(out.map((p) => p.author)).not.toContain(c.s2.id.agentId);
    expect(out.map((p) => p.author)).not.toContain(intruder.agentId);
  });
});

function stripSig<T extends { sig: string }>(r: T): Omit<T, 'sig'> {
  const { sig: _s, ...rest } = r;
  return rest;
}
