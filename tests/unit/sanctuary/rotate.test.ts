import { describe, expect, it } from 'vitest';
import {
  SanctuaryInputError,
  addKey,
  buildKeyring,
  collectEntries,
  createEntry,
  entitledMembers,
  newSanctuaryKey,
  rotate,
  sealKeyEnvelope,
  type Keyring,
} from '../../../src/core/sanctuary/index.ts';
import { community, NOW, plain } from './helpers.ts';

describe('key rotation', () => {
  function setup() {
    const c = community();
    const k1 = newSanctuaryKey(1);
    // Sanctuary open to trusted members: the trusted member holds epoch 1.
    const ctxTrusted = c.ctx('trusted');
    const epoch1 = entitledMembers(c.members, ctxTrusted.scores, ctxTrusted).map((p) => sealKeyEnvelope(c.s1.id, k1, p, NOW));
    const entries = [createEntry(c.s1.id, k1, plain(), NOW), createEntry(c.s2.id, k1, plain({ kind: 'medical', title: 'Nurse' }), NOW)];
    return { c, k1, epoch1, entries, ctxTrusted };
  }

  it('Scenario: a member who lost the tier cannot read new or re-encrypted entries', () => {
    const { c, k1, epoch1, entries, ctxTrusted } = setup();
    const trustedRing = buildKeyring(c.trusted.id, epoch1, c.profileOf, ctxTrusted).keyring;
    expect(collectEntries(entries, trustedRing, ctxTrusted).entries).toHaveLength(2);

    // The trusted member's vouches are revoked: s1's view drops them below the tier.
    const lowered = new Map(c.scores).set(c.trusted.id.agentId, 0.4);
    const s1ctx = c.ctx('trusted', lowered);
    const entitled = entitledMembers(c.members, s1ctx.scores, s1ctx);
    expect(entitled.map((p) => p.author)).not.toContain(c.trusted.id.agentId);
    const r = rotate(addKey(new Map(), k1), entries, 2, entitled, { steward: c.s1.id, ctx: s1ctx, now: NOW + 10 });
    expect(r.key.epoch).toBe(2);
    expect(r.envelopes.map((e) => e.to)).toEqual(entitled.map((p) => p.author).sort());
    expect(r.entries.map((e) => e.epoch)).toEqual([2, 2]);
    expect(r.skipped).toEqual([]);
    const fresh = createEntry(c.s1.id, r.key, plain({ title: 'New place' }), NOW + 20);
    const doc = [...r.entries, fresh];

    const stillTrustedRing = buildKeyring(c.trusted.id, [...epoch1, ...r.envelopes], c.profileOf, ctxTrusted).keyring;
    expect([...stillTrustedRing.keys()]).toEqual([1]);
    const seen = collectEntries(doc, stillTrustedRing, ctxTrusted);
    expect(seen.entries).toEqual([]);
    expect(seen.rejected.map((x) => x.reason)).toEqual(['no-key', 'no-key', 'no-key']);

    const s2ring = buildKeyring(c.s2.id, [...epoch1, ...r.envelopes], c.profileOf, c.ctx()).keyring;
    const s2sees = collectEntries(doc, s2ring, c.ctx());
    expect(s2sees.entries.map((e) => e.entry.title).sort()).toEqual(['New place', 'Nurse', 'Spare room, two beds']);
    // Ids and times survive the rotation.
    const before = collectEntries(entries, addKey(new Map(), k1), c.ctx()).entries;
    const after = collectEntries(r.entries, s2ring, c.ctx()).entries;
    expect(after.map(({ id, created, updated, entry }) => ({ id, created, updated, entry }))).toEqual(before.map(({ id, created, updated, entry }) => ({ id, created, updated, entry })));
  });

  it('Scenario: rotation carries over only entries by stewards, and refuses an old epoch', () => {
    const { c, k1, entries } = setup();
    const planted = createEntry(c.trusted.id, k1, plain({ title: 'Trap' }), NOW);
    const ring: Keyring = addKey(new Map(), k1);
    const r = rotate(ring, [...entries, planted], 2, [c.s1.profile], { steward: c.s1.id, ctx: c.ctx(), now: NOW });
    expect(r.entries).toHaveLength(2);
    expect(r.skipped).toEqual([{ id: planted.id, reason: 'author-not-steward' }]);
    expect(() => rotate(ring, entries, 1, [c.s1.profile], { steward: c.s1.id, ctx: c.ctx(), now: NOW })).toThrow(SanctuaryInputError);
  });
});
