import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as Automerge from '@automerge/automerge';
import { createIdentity, type Identity } from '../../../src/core/crypto/keys.ts';
import { useSignatureCheck } from '../../../src/core/crypto/sign.ts';
import { createProfile, memberEntry, newCommunityDoc } from '../../../src/core/model/community.ts';
import { createFounding, createSetting, createSettingAs } from '../../../src/core/model/community-records.ts';
import { defaultSettings } from '../../../src/core/model/community-settings.ts';
import { readCommunity, type CommunityView } from '../../../src/core/model/read-community.ts';
import { COMMUNITY_MAPS } from '../../../src/core/model/restore.ts';
import { chooseRetirement, createRetirement, isRetirementDigest, retirementDigest, retirementProblem } from '../../../src/core/model/retirement.ts';
import type { CommunityDoc } from '../../../src/core/model/types.ts';
import { SignedHistory } from '../../../src/core/sync/signed-history.ts';
import { nodeSignatureCheck } from '../../../relay/ed25519.ts';

const NOW = 1_700_000_000_000;
const COMMUNITY = 'c-retire';

beforeAll(() => useSignatureCheck(nodeSignatureCheck()));
afterAll(() => useSignatureCheck(undefined));

/** A relay-founded community: the hub's key founded it and appointed `first`, then retired. */
function retiredCommunity() {
  const hub = createIdentity();
  const first = createIdentity();
  const founding = createFounding(hub.signSecretKey, hub.agentId, COMMUNITY, { ...defaultSettings('Riverside'), relays: [hub.agentId] }, NOW);
  const appoint = createSetting(hub.signSecretKey, hub.agentId, COMMUNITY, 'stewards', [first.agentId], NOW + 10);
  const retirement = createRetirement(hub.signSecretKey, hub.agentId, COMMUNITY, [founding.sig, appoint.sig], NOW + 20);
  let doc = Automerge.from(JSON.parse(JSON.stringify(newCommunityDoc(COMMUNITY, 'Riverside', '', NOW, founding))) as Record<string, unknown>) as unknown as Automerge.Doc<CommunityDoc>;
  doc = Automerge.change(doc, (d) => {
    d.members[first.agentId] = JSON.parse(JSON.stringify(memberEntry(first, createProfile(first, 'Ana', NOW), COMMUNITY, 'automerge:2222', NOW + 5)));
    d.settings ??= {};
    d.settings[appoint.id] = JSON.parse(JSON.stringify(appoint));
    d.retirements = { [retirement.id]: JSON.parse(JSON.stringify(retirement)) };
  });
  return { hub, first, founding, retirement, doc };
}

const historyOf = (doc: Automerge.Doc<unknown>) => {
  const h = new SignedHistory(COMMUNITY_MAPS);
  h.update(doc);
  return h;
};

/** What a person sees of a community: its name, organisers and founding date. */
const seen = (v: CommunityView) => ({ name: v.settings.name, stewards: v.stewards, founded: v.founder, thresholds: v.settings.thresholds });

/** Writes what a thief holding `key` signs into the doc, as a later Automerge change. */
function thiefWrites(doc: Automerge.Doc<CommunityDoc>, write: (d: CommunityDoc) => void): Automerge.Doc<CommunityDoc> {
  return Automerge.change(doc, (d) => write(d));
}

describe('a founding hub retires its founder rights', () => {
  it('Scenario: after the founder retires, a setting it signs, dated before or after, changes nothing', () => {
    const { hub, first, retirement, doc } = retiredCommunity();
    const pin = retirementDigest(retirement);
    const before = readCommunity(doc, historyOf(doc), hub.agentId, pin);
    expect(before.retired).toBe(true);
    expect(before.stewards).toEqual([first.agentId]);
    expect(before.problems).toEqual([]);

    const thief = createIdentity();
    const sk = hub.signSecretKey;
    const early = createSetting(sk, hub.agentId, COMMUNITY, 'stewards', [thief.agentId], NOW + 1);
    const late = createSetting(sk, hub.agentId, COMMUNITY, 'name', 'Taken', NOW + 100);
    const refounded = createFounding(sk, hub.agentId, COMMUNITY, { ...defaultSettings('Taken'), stewards: [thief.agentId] }, NOW - 1);
    const second = createRetirement(sk, hub.agentId, COMMUNITY, [refounded.sig, early.sig, late.sig], NOW + 15);
    const after = thiefWrites(doc, (d) => {
      d.settings![early.id] = JSON.parse(JSON.stringify(early));
      d.settings![late.id] = JSON.parse(JSON.stringify(late));
      d.founding = JSON.parse(JSON.stringify(refounded));
      d.retirements![second.id] = JSON.parse(JSON.stringify(second));
    });

    // A reader with no pin takes the earliest retirement: the thief's, dated before the real one.
    const unpinned = readCommunity(after, historyOf(after), hub.agentId);
    expect(unpinned.settings.name).toBe('Taken');
    // Pinned to the retirement it read first, a reader keeps the community as it was.
    const pinned = readCommunity(after, historyOf(after), hub.agentId, pin);
    expect(seen(pinned)).toEqual(seen(before));
    expect(pinned.stewards).not.toContain(hub.agentId);
    expect(pinned.stewards).not.toContain(thief.agentId);
    expect(pinned.problems.filter((p) => p.reason === 'setting.founderRetired').map((p) => p.key).sort()).toEqual([early.id, late.id].sort());
    // The organiser it appointed still signs settings that count.
    const rename = createSettingAs(first as Identity, COMMUNITY, 'name', 'Riverside commons', NOW + 200);
    const renamed = thiefWrites(after, (d) => void (d.settings![rename.id] = JSON.parse(JSON.stringify(rename))));
    expect(readCommunity(renamed, historyOf(renamed), hub.agentId, pin).settings.name).toBe('Riverside commons');
  });

  it('Scenario: a pinned retirement that has not arrived yet leaves the founder retired', () => {
    const { hub, retirement, doc } = retiredCommunity();
    const without = Automerge.change(Automerge.clone(doc), (d) => void delete d.retirements);
    const fresh = Automerge.load<CommunityDoc>(Automerge.save(without));
    // A doc rebuilt without it (no history of it): what a newcomer with the invite's pin may read first.
    const view = readCommunity(fresh, undefined, hub.agentId, retirementDigest(retirement));
    expect(view.retired).toBe(true);
    expect(view.stewards).not.toContain(hub.agentId);
    expect(view.problems.map((p) => p.reason)).toContain('retirement.missing');
  });

  it('Scenario: retirement records are checked: shape, signature, digest', () => {
    const { retirement } = retiredCommunity();
    expect(retirementProblem(retirement, COMMUNITY)).toBeNull();
    expect(retirementProblem({ ...retirement, stands: [...retirement.stands, 'x'] }, COMMUNITY)).toBe('retirement.malformed');
    expect(retirementProblem({ ...retirement, created: NOW + 1 }, COMMUNITY)).toBe('retirement.forged');
    expect(retirementProblem(retirement, 'other')).toBe('retirement.malformed');
    expect(isRetirementDigest(retirementDigest(retirement))).toBe(true);
    // Anyone may write into the map; a retirement by anyone but the founder is never chosen.
    const stranger = createIdentity();
    const foreign = createRetirement(stranger.signSecretKey, stranger.agentId, COMMUNITY, retirement.stands, NOW - 5);
    const foundings = [{ sig: retirement.stands[0]!, community: COMMUNITY }, { sig: retirement.stands[1]!, community: COMMUNITY }];
    expect(chooseRetirement([foreign, retirement], retirement.author, foundings)).toEqual(retirement);
    expect(chooseRetirement([foreign], retirement.author, foundings)).toBeUndefined();
    fc.assert(fc.property(fc.anything(), (v) => typeof retirementProblem(v, COMMUNITY) === 'string'));
  });

  it('Scenario: whatever the founder signs after retiring, a pinned reader\'s view is the same', () => {
    const { hub, first, retirement, doc } = retiredCommunity();
    const pin = retirementDigest(retirement);
    const expected = seen(readCommunity(doc, historyOf(doc), hub.agentId, pin));
    const sk = hub.signSecretKey;
    const stranger = createIdentity();
    const act = fc.record({
      kind: fc.constantFrom('stewards', 'name', 'thresholds', 'founding', 'retirement', 'overwrite'),
      at: fc.integer({ min: NOW - 1000, max: NOW + 1000 }),
      lists: fc.subarray([0, 1, 2, 3], { minLength: 0 }),
    });
    fc.assert(
      fc.property(fc.array(act, { minLength: 1, maxLength: 6 }), (acts) => {
        let d = Automerge.clone(doc);
        const sigs: string[] = [...retirement.stands];
        for (const a of acts) {
          d = thiefWrites(d, (w) => {
            if (a.kind === 'stewards' || a.kind === 'name' || a.kind === 'thresholds') {
              const value = a.kind === 'stewards' ? [stranger.agentId, first.agentId] : a.kind === 'name' ? 'Taken' : { view: 0.01, post: 0.02, message: 0.03, vouch: 0.04, steward: 0.05 };
              const r = createSetting(sk, hub.agentId, COMMUNITY, a.kind, value as never, a.at);
              sigs.push(r.sig);
              w.settings![r.id] = JSON.parse(JSON.stringify(r));
            } else if (a.kind === 'founding') {
              const f = createFounding(sk, hub.agentId, COMMUNITY, { ...defaultSettings('Taken'), stewards: [stranger.agentId] }, a.at);
              sigs.push(f.sig);
              w.founding = JSON.parse(JSON.stringify(f));
            } else if (a.kind === 'retirement') {
              const r = createRetirement(sk, hub.agentId, COMMUNITY, a.lists.map((i) => sigs[i % sigs.length]).concat(sigs.slice(-2)), a.at);
              (w.retirements ??= {})[r.id] = JSON.parse(JSON.stringify(r));
            } else {
              // Overwrites and deletions: the history still holds what was there.
              delete w.retirements;
              delete w.founding;
            }
          });
        }
        expect(seen(readCommunity(d, historyOf(d), hub.agentId, pin))).toEqual(expected);
      }),
      { numRuns: 60 },
    );
  });
});
