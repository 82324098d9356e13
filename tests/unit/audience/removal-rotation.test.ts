import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addKey,
  buildKeyring,
  chainOf,
  communityContext,
  entitledProfiles,
  keyDuties,
  newEpochKey,
  open,
  seal,
  sealEnvelope,
  type KeyEnvelope,
  type Keyring,
  type SealedRecord,
} from '../../../src/core/audience/index.ts';
import { createFounding, createSettingAs } from '../../../src/core/model/community-records.ts';
import { defaultSettings } from '../../../src/core/model/community-settings.ts';
import { readCommunity } from '../../../src/core/model/read-community.ts';
import { DEFAULT_THRESHOLDS, type CommunityDoc } from '../../../src/core/model/types.ts';
import { useSignatureCheck } from '../../../src/core/crypto/sign.ts';
import { nodeSignatureCheck } from '../../../relay/ed25519.ts';
import { NOW, person, post, type Person } from './people.ts';

// openspec/changes/removal-keys/specs/sealed-audiences/spec.md — removal reaches the members' key, with the
// real core functions in the order a phone runs them: signed settings -> view -> entitlement -> duty.
beforeAll(() => useSignatureCheck(nodeSignatureCheck()));
afterAll(() => useSignatureCheck(undefined));

const ana = person('Ana'); // founder, the one organiser
const crowd = Array.from({ length: 5 }, (_, i) => person(`Member ${i}`));
const everyone = [ana, ...crowd];
const byId = new Map(everyone.map((p) => [p.id.agentId, p]));
const founding = createFounding(ana.id.signSecretKey, ana.id.agentId, 'c', defaultSettings('Town'), NOW);

/** The community as readers see it: the founding, every member entry, and the organisers' signed removals. */
function community(removedIds: readonly string[], strength: 1 | 2 | 3, thresholds = DEFAULT_THRESHOLDS) {
  const settings = removedIds.length ? [createSettingAs(ana.id, 'c', 'removed', Object.fromEntries(removedIds.map((id) => [id, NOW + 5])), NOW + 5)] : [];
  const doc: Partial<CommunityDoc> = {
    id: 'c',
    founding,
    settings: Object.fromEntries(settings.map((r) => [r.id, r])),
    members: Object.fromEntries(everyone.map((p) => [p.id.agentId, p.entry])),
  };
  const view = readCommunity(doc, undefined, ana.id.agentId);
  // Ana vouched for everyone; the vouches for a removed member stay in her feed.
  const vouches = crowd.map((p) => ({ from: ana.id.agentId, to: p.id.agentId, strength }));
  const trust = communityContext(vouches, view.stewards, thresholds, 'steward', undefined, view.settings.removed);
  // The sanctuary reads profiles from the raw doc: a removed member's profile is still there.
  const profileOf = (id: string) => byId.get(id)?.profile;
  return { view, trust, profileOf };
}

type World = ReturnType<typeof community>;
const ringOf = (p: Person, w: World, envelopes: readonly KeyEnvelope[]): Keyring => buildKeyring(p.id, 'members', envelopes, w.profileOf, w.trust.isSteward).keyring;

/** Ana's duty on `w`, applied: the envelopes she writes join the doc's. */
function anaActs(w: World, envelopes: KeyEnvelope[]) {
  const keyring = ringOf(ana, w, envelopes);
  const entitled = entitledProfiles('members', w.view.members, w.trust);
  const duty = keyDuties({ audience: 'members', me: ana.id, keyring, envelopes, entitled, isIssuer: w.trust.isSteward, now: NOW + 10 });
  if (duty.kind !== 'none') envelopes.push(...duty.envelopes);
  return duty;
}

describe('removal and the members’ key', () => {
  it('Scenario: after an organiser removes a member, the members’ key rotates, the removed member cannot open what is sealed after, and the others read old and new', () => {
    const mallory = crowd[0];
    const before = community([], 2);
    const envelopes: KeyEnvelope[] = [];
    expect(anaActs(before, envelopes).kind).toBe('rotate'); // the first key, to everyone entitled
    const old = seal(post(crowd[1], 'p1', 'before'), 'members', ringOf(crowd[1], before, envelopes));
    expect(open(old, ringOf(mallory, before, envelopes)).ok).toBe(true);

    const after = community([mallory.id.agentId], 2);
    expect(after.view.members[mallory.id.agentId]).toBeUndefined();
    expect(entitledProfiles('members', after.view.members, after.trust).map((p) => p.author)).not.toContain(mallory.id.agentId);
    const duty = anaActs(after, envelopes);
    expect(duty).toMatchObject({ kind: 'rotate', lost: [mallory.id.agentId] });
    expect(envelopes.filter((e) => e.epoch === 2).map((e) => e.to)).not.toContain(mallory.id.agentId);
    expect(anaActs(after, envelopes)).toEqual({ kind: 'none', why: 'up-to-date' });

    const fresh = seal(post(crowd[2], 'p2', 'after'), 'members', ringOf(crowd[2], after, envelopes));
    expect(fresh.epoch).toBe(2);
    // Mallory's keys, whatever view her phone takes: only the envelopes sealed to her, all from before.
    expect(open(fresh, ringOf(mallory, before, envelopes))).toEqual({ ok: false, reason: 'no-key' });
    for (const p of [ana, ...crowd.slice(1)]) {
      const ring = ringOf(p, after, envelopes);
      expect(open<{ text: string }>(old, ring)).toMatchObject({ ok: true, record: { text: 'before' } });
      expect(open<{ text: string }>(fresh, ring)).toMatchObject({ ok: true, record: { text: 'after' } });
    }
  });

  it('Scenario: a removed member vouched as high as an organiser can neither hand out keys nor stall the rotation', () => {
    const mallory = crowd[0];
    // Organisers set the organiser threshold at 80 %: Ana's strongest vouch (0.8) makes Mallory an issuer.
    const thresholds = { ...DEFAULT_THRESHOLDS, steward: 0.8 };
    const before = community([], 3, thresholds);
    const envelopes: KeyEnvelope[] = [];
    anaActs(before, envelopes);
    expect(before.trust.isSteward(mallory.id.agentId)).toBe(true);
    const after = community([mallory.id.agentId], 3, thresholds);
    expect(after.trust.isSteward(mallory.id.agentId)).toBe(false);
    // Mallory publishes a key of her own at a higher epoch, sealed to Bea, before Ana notices the removal.
    const hers = addKey(ringOf(mallory, before, envelopes), newEpochKey(9));
    envelopes.push(sealEnvelope(mallory.id, 'members', chainOf(hers), crowd[1].profile, NOW + 6));
    expect(anaActs(after, envelopes)).toMatchObject({ kind: 'rotate', lost: [mallory.id.agentId] });
    const bea = ringOf(crowd[1], after, envelopes);
    expect([...bea.keys()]).toEqual([1, 2]); // not Mallory's epoch 9
    const fresh = seal(post(crowd[1], 'p', 'after'), 'members', bea);
    expect(open(fresh, hers)).toEqual({ ok: false, reason: 'no-key' });
  });

  it('Scenario: removing any members rotates exactly when one of them held the key, and every remaining member reads everything', () => {
    fc.assert(
      fc.property(fc.subarray([0, 1, 2, 3, 4], { minLength: 0 }), fc.constantFrom<1 | 2 | 3>(1, 2, 3), (gone, strength) => {
        const before = community([], strength);
        const envelopes: KeyEnvelope[] = [];
        anaActs(before, envelopes);
        const held = new Set(envelopes.map((e) => e.to));
        const sealed: SealedRecord[] = [seal(post(ana, 'a', 'old'), 'members', ringOf(ana, before, envelopes))];
        const removed = gone.map((i) => crowd[i].id.agentId);
        const after = community(removed, strength);
        const duty = anaActs(after, envelopes);
        expect(duty.kind === 'rotate').toBe(removed.some((id) => held.has(id)));
        sealed.push(seal(post(ana, 'b', 'new'), 'members', ringOf(ana, after, envelopes)));
        for (const p of crowd) {
          const out = removed.includes(p.id.agentId);
          const ring = ringOf(p, out ? before : after, envelopes);
          const entitledNow = entitledProfiles('members', after.view.members, after.trust).some((e) => e.author === p.id.agentId);
          // Removed: whatever keys they held are from before; what is sealed after stays shut.
          if (out) expect(open(sealed[1], ring).ok).toBe(false);
          else if (entitledNow) for (const s of sealed) expect(open(s, ring).ok).toBe(true);
        }
      }),
      { numRuns: 5 },
    );
  });
});
