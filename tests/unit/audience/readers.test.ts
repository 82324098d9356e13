import { describe, expect, it } from 'vitest';
import { buildKeyring, currentKey, holdings, keyDuties, keyId, newEpochKey, readers, sealEnvelope, type KeyEnvelope } from '../../../src/core/audience/index.ts';
import { signRecord } from '../../../src/core/crypto/sign.ts';
import { NOW, person } from './people.ts';

const [ana, sam, bea, tia, max] = ['Ana', 'Sam', 'Bea', 'Tia', 'Max'].map((n) => person(n));
const id = (p: typeof ana) => p.id.agentId;

describe('who can read with a key', () => {
  it('Scenario: a key a former organiser held and handed on is seen with its recipient; a key only its author is seen with spreads to nobody', () => {
    const k1 = newEpochKey(1);
    const made = newEpochKey(2); // Sam's own, made after he stopped being an organiser: nobody counted holds it
    const envelopes: KeyEnvelope[] = [
      sealEnvelope(ana.id, 'members', [k1], sam.profile, NOW),
      sealEnvelope(sam.id, 'members', [k1], tia.profile, NOW), // handed on: Sam holds k1 by Ana's envelope
      sealEnvelope(sam.id, 'members', [made], max.profile, NOW),
    ];
    // Bea holds nothing, yet signs a box to Max claiming k1's id (public in every envelope).
    const { sig: _sig, ...junk } = sealEnvelope(bea.id, 'members', [newEpochKey(1)], max.profile, NOW);
    const forged = signRecord<KeyEnvelope>({ ...junk, kids: [keyId(k1.key)] }, bea.id.signSecretKey);
    const all = [...envelopes, forged];
    const isIssuer = (a: string) => a === id(ana);
    const can = readers(all, 'members', isIssuer);
    expect([...(can.get(id(tia)) ?? [])]).toEqual([keyId(k1.key)]);
    expect(can.has(id(max))).toBe(false);
    // What an organiser must still hand out counts issuers' envelopes only: Tia still needs Ana's.
    expect(holdings(all, 'members', isIssuer).has(id(tia))).toBe(false);
  });

  it('Scenario: when every key in use came from former organisers, the remaining organiser renews it above every epoch named, and members keep reading the old ones', () => {
    const k3 = newEpochKey(3);
    const envelopes = [ana, bea].map((p) => sealEnvelope(sam.id, 'members', [k3], p.profile, NOW));
    const isIssuer = (a: string) => a === id(ana); // Sam is no organiser any more
    const anas = buildKeyring(ana.id, 'members', envelopes, (a) => [ana, sam, bea].find((p) => id(p) === a)?.profile, isIssuer).keyring;
    expect(currentKey(anas)).toBeNull();
    const duty = keyDuties({ audience: 'members', me: ana.id, keyring: anas, envelopes, entitled: [ana.profile, bea.profile], isIssuer, now: NOW });
    expect(duty).toMatchObject({ kind: 'rotate', why: 'no-issuer-left', key: { epoch: 4 } });
    if (duty.kind !== 'rotate') throw new Error('rotate');
    const beas = buildKeyring(bea.id, 'members', [...envelopes, ...duty.envelopes], (a) => [ana, sam, bea].find((p) => id(p) === a)?.profile, isIssuer).keyring;
    expect(currentKey(beas)?.epoch).toBe(4);
    expect(beas.readOnly?.get(3)).toEqual([k3.key]);
  });

  it('Scenario: a former organiser’s rotation retired the older envelopes; the remaining organiser renews the key rather than wait for one nobody can hand out or fall back to the older one', () => {
    const k1 = newEpochKey(1);
    const k2 = newEpochKey(2);
    const envelopes = [
      ...[ana, bea, sam].map((p) => sealEnvelope(sam.id, 'members', [k1, k2], p.profile, NOW)), // Sam's rotation, when he was one
      sealEnvelope(ana.id, 'members', [k1], max.profile, NOW), // Ana's older envelope to Max, still there
    ];
    const isIssuer = (a: string) => a === id(ana);
    const profileOf = (a: string) => [ana, sam, bea, max].find((p) => id(p) === a)?.profile;
    const anas = buildKeyring(ana.id, 'members', envelopes, profileOf, isIssuer).keyring;
    expect(currentKey(anas)?.epoch).toBe(1); // k1 counts again (Ana named it), k2 only to read with
    const duty = keyDuties({ audience: 'members', me: ana.id, keyring: anas, envelopes, entitled: [ana.profile, bea.profile], isIssuer, now: NOW });
    expect(duty).toMatchObject({ kind: 'rotate', why: 'no-issuer-left', key: { epoch: 3 } });
  });
});
