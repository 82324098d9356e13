import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createIdentity, type Identity } from '../../../src/core/crypto/keys.ts';
import { createFounding, createSettingAs, type SettingRecord } from '../../../src/core/model/community-records.ts';
import { defaultSettings } from '../../../src/core/model/community-settings.ts';
import { READMITTED } from '../../../src/core/model/keyed-setting-merge.ts';
import { readCommunity } from '../../../src/core/model/read-community.ts';
import type { CommunityDoc } from '../../../src/core/model/types.ts';
import { activeInviteHashes } from '../../../src/core/protocol/invite-secret.ts';
import { useSignatureCheck } from '../../../src/core/crypto/sign.ts';
import { nodeSignatureCheck } from '../../../relay/ed25519.ts';

// openspec/changes/removal-keys/specs/community-settings/spec.md — `removed` and `invites` merge across organisers.
const NOW = 1_700_000_000_000;
const founder = createIdentity();
const org2 = createIdentity();
const org3 = createIdentity();
const organisers = [founder, org2, org3];
/** People organisers remove: ids only (whether they have a member entry does not change the merge). */
const people = Array.from({ length: 4 }, () => createIdentity().agentId);
const hashes = Array.from({ length: 6 }, () => createIdentity().agentId); // 43-char keys, as invite hashes are
const founding = createFounding(founder.signSecretKey, founder.agentId, 'c1', defaultSettings('Town'), NOW);
const appoint = createSettingAs(founder, 'c1', 'stewards', [org2.agentId, org3.agentId], NOW + 1);

beforeAll(() => useSignatureCheck(nodeSignatureCheck()));
afterAll(() => useSignatureCheck(undefined));

/** What a reader makes of these setting records, found in this order (a doc's map order is the arrival order). */
function read(records: readonly SettingRecord[]) {
  const doc: Partial<CommunityDoc> = { id: 'c1', founding, settings: Object.fromEntries([appoint, ...records].map((r) => [r.id, r])), members: {} };
  return readCommunity(doc, undefined, founder.agentId).settings;
}

/** One organiser's phone: writes its whole list as it sees it, as CommunitySettingsEditor does. */
class OrganiserPhone {
  removed: Record<string, number> = {};
  invites: Record<string, number> = {};
  constructor(readonly me: Identity) {}
  remove(id: string, at: number): SettingRecord {
    this.removed = { ...this.removed, [id]: at };
    return createSettingAs(this.me, 'c1', 'removed', this.removed, at);
  }
  undo(id: string, at: number): SettingRecord {
    const { [id]: _gone, ...rest } = this.removed;
    this.removed = rest;
    return createSettingAs(this.me, 'c1', 'removed', { ...rest, [id]: READMITTED }, at);
  }
  newLink(hash: string, at: number): SettingRecord {
    const ended = Object.fromEntries(activeInviteHashes(this.invites, at).map((h) => [h, at]));
    this.invites = { ...ended, [hash]: 0 };
    return createSettingAs(this.me, 'c1', 'invites', this.invites, at);
  }
}

describe('organisers acting at once', () => {
  it('Scenario: two organisers removing two members at once both hold, and another organiser can let one back in', () => {
    const [a, b, c] = organisers.map((o) => new OrganiserPhone(o));
    const byA = a.remove(people[0], NOW + 10);
    const byB = b.remove(people[1], NOW + 11); // B had not seen A's removal
    expect(Object.keys(read([byA, byB]).removed ?? {}).sort()).toEqual([people[0], people[1]].sort());
    expect(read([byB, byA]).removed).toEqual(read([byA, byB]).removed);
    // C lets the first back in; A's next list (still naming them, with the old time) does not undo that.
    const undo = c.undo(people[0], NOW + 12);
    const again = a.remove(people[2], NOW + 13);
    expect(Object.keys(read([byA, byB, undo, again]).removed ?? {}).sort()).toEqual([people[1], people[2]].sort());
    // A record from before this change: an organiser undid their own removal by leaving it out.
    const legacyUndo = createSettingAs(org2, 'c1', 'removed', {}, NOW + 14);
    expect(Object.keys(read([byA, byB, undo, again, legacyUndo]).removed ?? {})).toEqual([people[2]]);
  });

  it('Scenario: two organisers making invite links at once both admit, and each new link ends the ones its maker saw', () => {
    const [a, b] = organisers.map((o) => new OrganiserPhone(o));
    const first = a.newLink(hashes[0], NOW + 10);
    b.invites = { ...first.value as Record<string, number> }; // B saw A's first link
    const byA = a.newLink(hashes[1], NOW + 20);
    const byB = b.newLink(hashes[2], NOW + 21); // at once: B has not seen A's second link
    const active = (rs: SettingRecord[]) => activeInviteHashes(read(rs).invites, NOW + 30).sort();
    expect(active([first, byA, byB])).toEqual([hashes[1], hashes[2]].sort());
    expect(active([byB, first, byA])).toEqual(active([first, byA, byB]));
  });

  it('Scenario: any interleaving of signed removals, undos and new links by several organisers converges to one set on every replica order, and no concurrent act is lost', () => {
    const op = fc.record({ by: fc.nat(2), kind: fc.constantFrom('remove', 'undo', 'link'), who: fc.nat(people.length - 1) });
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 6 }), fc.array(fc.nat(), { minLength: 6, maxLength: 6 }), (ops, keys) => {
        // Every organiser works offline (sees only their own acts): all acts are concurrent.
        const phones = organisers.map((o) => new OrganiserPhone(o));
        const records: SettingRecord[] = [];
        /** The model: per member the latest act wins; every link made is active unless its own maker ended it. */
        const last = new Map<string, { removed: boolean; at: number }>();
        const linkOf = new Map<string, number>();
        ops.forEach((o, i) => {
          const at = NOW + 10 + i;
          const p = phones[o.by];
          if (o.kind === 'link') {
            const hash = toHash(i);
            linkOf.set(hash, o.by);
            records.push(p.newLink(hash, at));
          } else if (o.kind === 'remove') {
            records.push(p.remove(people[o.who], at));
            last.set(people[o.who], { removed: true, at });
          } else {
            records.push(p.undo(people[o.who], at));
            last.set(people[o.who], { removed: false, at });
          }
        });
        const shuffled = records.map((r, i) => [keys[i], r] as const).sort((x, y) => x[0] - y[0]).map(([, r]) => r);
        const a = read(records);
        const b = read(shuffled);
        expect(b.removed).toEqual(a.removed);
        expect(b.invites).toEqual(a.invites);
        const expected = [...last].filter(([, s]) => s.removed).map(([id]) => id).sort();
        expect(Object.keys(a.removed ?? {}).sort()).toEqual(expected);
        // Each organiser's newest link admits; the others' links are never ended by them.
        const newest = new Map<number, string>();
        for (const [hash, by] of linkOf) newest.set(by, hash);
        expect(activeInviteHashes(a.invites, NOW + 100).sort()).toEqual([...newest.values()].sort());
      }),
      { numRuns: 15 },
    );
  });
});

/** A distinct 43-character invite hash per act. */
function toHash(i: number): string {
  return hashes[i % hashes.length].slice(0, 40) + String(i).padStart(3, '0');
}
