import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as Automerge from '@automerge/automerge';
import { createIdentity, type Identity } from '../../../src/core/crypto/keys.ts';
import { createProfile, memberEntry, newCommunityDoc } from '../../../src/core/model/community.ts';
import { createFounding, createSettingAs, type SettingRecord } from '../../../src/core/model/community-records.ts';
import { defaultSettings, settingProblem, settingsProblem } from '../../../src/core/model/community-settings.ts';
import { readCommunity } from '../../../src/core/model/read-community.ts';
import { COMMUNITY_MAPS } from '../../../src/core/model/restore.ts';
import type { CommunityDoc, MemberEntry } from '../../../src/core/model/types.ts';
import { SignedHistory } from '../../../src/core/sync/signed-history.ts';
import { useSignatureCheck } from '../../../src/core/crypto/sign.ts';
import { nodeSignatureCheck } from '../../../relay/ed25519.ts';

// openspec/changes/member-removal/specs/community-settings/spec.md
const NOW = 1_700_000_000_000;
const FEED = 'automerge:2j9knpCseyhnK8izDmLpGP5WMdZQ';
const amFrom = <T>(x: T): Automerge.Doc<T> => Automerge.from(JSON.parse(JSON.stringify(x)) as Record<string, unknown>) as unknown as Automerge.Doc<T>;

const founder = createIdentity();
const steward = createIdentity();
const mallory = createIdentity();
const bea = createIdentity();

const entries = new Map<string, MemberEntry>();
/** Signed once per person and time: signing is what makes these tests slow. */
const entryOf = (who: Identity, at: number): MemberEntry => {
  const k = `${who.agentId}:${at}`;
  if (!entries.has(k)) entries.set(k, JSON.parse(JSON.stringify(memberEntry(who, createProfile(who, 'x', at), 'c1', FEED, at))));
  return structuredClone(entries.get(k)!);
};
const founding = createFounding(founder.signSecretKey, founder.agentId, 'c1', defaultSettings('Town'), NOW);

// Many signature checks: the relay's native ed25519 instead of tweetnacl (same answers, property-tested elsewhere).
beforeAll(() => useSignatureCheck(nodeSignatureCheck()));
afterAll(() => useSignatureCheck(undefined));

/** A community founded by `founder`, with `steward` named, and Mallory and Bea as members. */
function community() {
  let doc = amFrom<CommunityDoc>(newCommunityDoc('c1', 'Town', '', NOW, founding));
  const join = (who: Identity, at: number) => {
    const entry = entryOf(who, at);
    doc = Automerge.change(doc, (d) => void (d.members[who.agentId] = entry));
  };
  for (const who of [founder, steward, mallory, bea]) join(who, NOW + 1);
  const add = (r: SettingRecord) => (doc = Automerge.change(doc, (d) => void (d.settings![r.id] = JSON.parse(JSON.stringify(r)))));
  add(createSettingAs(founder, 'c1', 'stewards', [steward.agentId], NOW + 2));
  const read = () => {
    const h = new SignedHistory(COMMUNITY_MAPS);
    h.update(doc);
    return readCommunity(doc, h, founder.agentId);
  };
  return { add, join, read };
}

describe('signed member removal', () => {
  it('Scenario: a member removed by an organiser is not counted, and a removal by a non-organiser is ignored', () => {
    const c = community();
    c.add(createSettingAs(mallory, 'c1', 'removed', { [bea.agentId]: NOW + 3 }, NOW + 3));
    expect(Object.keys(c.read().members)).toContain(bea.agentId);
    expect(c.read().problems).toContainEqual(expect.objectContaining({ what: 'setting', reason: 'setting.notSteward' }));
    c.add(createSettingAs(steward, 'c1', 'removed', { [mallory.agentId]: NOW + 4 }, NOW + 4));
    const view = c.read();
    expect(Object.keys(view.members).sort()).toEqual([founder.agentId, steward.agentId, bea.agentId].sort());
    expect(view.problems).toContainEqual({ what: 'member', key: mallory.agentId, reason: 'member.removed' });
  });

  it('Scenario: a removed member’s own re-entry is ignored, and undo counts them again', () => {
    const c = community();
    c.add(createSettingAs(steward, 'c1', 'removed', { [mallory.agentId]: NOW + 4 }, NOW + 4));
    c.join(mallory, NOW + 10); // a newer signed entry of their own
    expect(c.read().members[mallory.agentId]).toBeUndefined();
    c.add(createSettingAs(founder, 'c1', 'removed', { [mallory.agentId]: 0 }, NOW + 11)); // 0: let back in
    expect(c.read().members[mallory.agentId]?.joined).toBe(NOW + 10);
  });

  it('Scenario: a removed organiser signs nothing that counts, and the founder cannot be removed', () => {
    const c = community();
    c.add(createSettingAs(founder, 'c1', 'removed', { [steward.agentId]: NOW + 3 }, NOW + 3));
    c.add(createSettingAs(steward, 'c1', 'removed', {}, NOW + 4)); // their own undo
    c.add(createSettingAs(steward, 'c1', 'name', 'Taken', NOW + 5));
    let view = c.read();
    expect(view.members[steward.agentId]).toBeUndefined();
    expect(view.stewards).toEqual([founder.agentId]);
    expect(view.settings.name).toBe('Town');
    expect(view.problems.filter((p) => p.reason === 'setting.authorRemoved')).toHaveLength(2);
    // A steward naming the founder: reported, the founder stays.
    const d = community();
    d.add(createSettingAs(steward, 'c1', 'removed', { [founder.agentId]: NOW + 3, [bea.agentId]: NOW + 3 }, NOW + 3));
    view = d.read();
    expect(view.members[founder.agentId]).toBeDefined();
    expect(view.members[bea.agentId]).toBeUndefined();
    expect(view.stewards).toContain(founder.agentId);
    expect(view.problems).toContainEqual({ what: 'setting', key: 'removed', reason: 'setting.founderNotRemovable' });
  });

  it('Scenario: removal and invite-link settings are bounds-checked, and a founding record may leave them out', () => {
    const key = createIdentity().agentId;
    expect(settingProblem('removed', { [key]: NOW })).toBeNull();
    expect(settingProblem('invites', { [key]: 0 })).toBeNull();
    for (const bad of [[key], { x: NOW }, { [key]: -1 }, { [key]: 1.5 }, { [key]: 'soon' }, null]) {
      expect(settingProblem('removed', bad)).not.toBeNull();
      expect(settingProblem('invites', bad)).not.toBeNull();
    }
    const many = (n: number) => Object.fromEntries(Array.from({ length: n }, () => [createIdentity().agentId, 0]));
    expect(settingProblem('invites', many(21))).toBe('setting.badSize');
    expect(settingsProblem(defaultSettings('Town'))).toBeNull();
    fc.assert(fc.property(fc.anything(), (v) => typeof settingProblem('removed', v) === 'string' || settingProblem('removed', v) === null));
  });

  it('Scenario: removals and undos by anyone, found in any order, give one view that never counts a removed member nor drops the founder', () => {
    const people = [founder, steward, mallory, bea];
    const record = fc.record({ by: fc.nat(3), names: fc.subarray([0, 1, 2, 3]), at: fc.nat(20) });
    fc.assert(
      fc.property(fc.array(record, { maxLength: 5 }), fc.nat(), (recs, seed) => {
        const signed = recs.map((r) => createSettingAs(people[r.by], 'c1', 'removed', Object.fromEntries(r.names.map((i) => [people[i].agentId, NOW + 3 + r.at])), NOW + 3 + r.at));
        const inOrder = community();
        for (const r of signed) inOrder.add(r);
        const shuffled = community();
        for (const r of [...signed].sort((a, b) => ((a.sig.charCodeAt(seed % 80) ?? 0) - (b.sig.charCodeAt(seed % 80) ?? 0)))) shuffled.add(r);
        const a = inOrder.read();
        const b = shuffled.read();
        expect(Object.keys(b.members).sort()).toEqual(Object.keys(a.members).sort());
        expect(b.stewards).toEqual(a.stewards);
        expect(a.members[founder.agentId]).toBeDefined();
        expect(a.stewards).toContain(founder.agentId);
        for (const id of Object.keys(a.settings.removed ?? {})) expect(a.members[id]).toBeUndefined();
      }),
      { numRuns: 20 },
    );
  });
});
