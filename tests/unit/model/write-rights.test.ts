import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as Automerge from '@automerge/automerge';
import { createIdentity, type Identity } from '../../../src/core/crypto/keys.ts';
import { useSignatureCheck } from '../../../src/core/crypto/sign.ts';
import { createProfile, memberEntry, newCommunityDoc, newFeedDoc } from '../../../src/core/model/community.ts';
import { createFounding, createSettingAs, type SettingRecord } from '../../../src/core/model/community-records.ts';
import { defaultSettings, settingProblem, SETTING_KEYS } from '../../../src/core/model/community-settings.ts';
import { readFeed } from '../../../src/core/model/feed.ts';
import { createIntent, editIntent, setIntentStatus } from '../../../src/core/model/intent.ts';
import { readCommunity } from '../../../src/core/model/read-community.ts';
import { COMMUNITY_MAPS, currentRecordsHold, FEED_MAPS, restoreFeed } from '../../../src/core/model/restore.ts';
import type { CommunityDoc, FeedDoc, Intent, Revocation, Vouch } from '../../../src/core/model/types.ts';
import { SignedHistory } from '../../../src/core/sync/signed-history.ts';
import { collectVouches, createRevocation, createVouch } from '../../../src/core/trust/vouch.ts';
import { nodeSignatureCheck } from '../../../relay/ed25519.ts';

const NOW = 1_700_000_000_000;
/** A doc made from a plain copy of `x` (Automerge wants plain JSON objects). */
const amFrom = <T>(x: T): Automerge.Doc<T> => Automerge.from(JSON.parse(JSON.stringify(x)) as Record<string, unknown>) as unknown as Automerge.Doc<T>;
const feedHistory = (doc: Automerge.Doc<unknown>) => {
  const h = new SignedHistory(FEED_MAPS.map((m) => [m]));
  h.update(doc);
  return h;
};
/**
 * The history as a phone's first read builds it (client/community.ts restore): the current records
 * adopted when nothing was overwritten or deleted, the full replay when that fails or a record does not hold.
 */
const firstReadHistory = (doc: Automerge.Doc<FeedDoc>, owner: string) => {
  const h = new SignedHistory(FEED_MAPS.map((m) => [m]));
  const adopted = h.adopt(doc);
  if (!adopted || !currentRecordsHold(doc, owner)) {
    h.reset();
    h.update(doc);
  }
  return { h, adopted };
};
const communityHistory = (doc: Automerge.Doc<unknown>) => {
  const h = new SignedHistory(COMMUNITY_MAPS);
  h.update(doc);
  return h;
};

// Thousands of signature checks: the relay's native ed25519 instead of tweetnacl (same answers, property-tested elsewhere).
beforeAll(() => useSignatureCheck(nodeSignatureCheck()));
afterAll(() => useSignatureCheck(undefined));

describe('community settings are bounds-checked', () => {
  it('Scenario: a threshold of 0, a negative or NaN threshold, and absurd sizes are refused', () => {
    const ok = { view: 0.3, post: 0.5, message: 0.6, vouch: 0.7, steward: 0.9 };
    expect(settingProblem('thresholds', ok)).toBeNull();
    for (const bad of [{ ...ok, view: 0 }, { ...ok, view: -0.1 }, { ...ok, post: NaN }, { ...ok, steward: 2 }, { ...ok, post: 0.1 }, { view: 0, post: 0, message: 0, vouch: 0, steward: 0 }, { ...ok, extra: 1 }]) {
      expect(settingProblem('thresholds', bad)).not.toBeNull();
    }
    expect(settingProblem('name', '')).not.toBeNull();
    expect(settingProblem('name', 'x'.repeat(61))).not.toBeNull();
    expect(settingProblem('categories', Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`c${i}`, { id: `c${i}`, name: 'C' }])))).not.toBeNull();
    expect(settingProblem('stewards', Array.from({ length: 51 }, () => createIdentity().agentId))).not.toBeNull();
    expect(settingProblem('limits', { posts: 1e10 })).not.toBeNull();
    expect(settingProblem('openJoin', 'yes')).not.toBeNull();
    expect(settingProblem('nope', 1)).not.toBeNull();
    for (const k of SETTING_KEYS) expect(settingProblem(k, defaultSettings('Town')[k])).toBeNull();
  });

  it('Scenario: settingProblem is total over any input', () => {
    fc.assert(fc.property(fc.oneof(fc.constantFrom(...SETTING_KEYS), fc.string()), fc.anything(), (k, v) => {
      const p = settingProblem(k, v);
      expect(p === null || typeof p === 'string').toBe(true);
    }), { numRuns: 500 });
  });
});

function foundedCommunity(founder: Identity, id = 'c1') {
  const founding = createFounding(founder.signSecretKey, founder.agentId, id, defaultSettings('Town'), NOW);
  return amFrom<CommunityDoc>(newCommunityDoc(id, 'Town', '', NOW, founding));
}

describe('readCommunity: settings come from signed records of stewards only', () => {
  const founder = createIdentity();
  const steward = createIdentity();
  const stranger = createIdentity();

  it('Scenario: a steward chain: the founder names a steward, whose rename counts; a stranger’s does not', () => {
    let doc = foundedCommunity(founder);
    const add = (r: SettingRecord) => (doc = Automerge.change(doc, (d) => void (d.settings![r.id] = JSON.parse(JSON.stringify(r)))));
    add(createSettingAs(stranger, 'c1', 'name', 'Stranger town', NOW + 1));
    add(createSettingAs(steward, 'c1', 'name', 'Too early', NOW + 2)); // not a steward yet
    add(createSettingAs(founder, 'c1', 'stewards', [steward.agentId], NOW + 3));
    add(createSettingAs(steward, 'c1', 'name', 'River town', NOW + 4));
    const view = readCommunity(doc, communityHistory(doc));
    expect(view.founder).toBe(founder.agentId);
    expect(view.settings.name).toBe('River town');
    expect(view.stewards).toEqual([founder.agentId, steward.agentId].sort());
    expect(view.problems.filter((p) => p.reason === 'setting.notSteward')).toHaveLength(2);
  });

  it('Scenario: unsigned edits of the plain fields change no setting', () => {
    let doc = foundedCommunity(founder);
    doc = Automerge.change(doc, (d) => {
      d.name = 'Taken';
      d.thresholds = { view: 0, post: 0, message: 0, vouch: 0, steward: 0 };
    });
    const view = readCommunity(doc, communityHistory(doc));
    expect(view.settings.name).toBe('Town');
    expect(view.settings.thresholds).toEqual(defaultSettings('Town').thresholds);
  });

  it('Scenario: the view does not depend on the order records are found in', () => {
    const records = [
      createSettingAs(founder, 'c1', 'stewards', [steward.agentId], NOW + 3),
      createSettingAs(steward, 'c1', 'name', 'A', NOW + 4),
      createSettingAs(steward, 'c1', 'name', 'B', NOW + 4),
      createSettingAs(founder, 'c1', 'stewards', [], NOW + 5),
      createSettingAs(steward, 'c1', 'name', 'Late', NOW + 6),
      createSettingAs(founder, 'c1', 'openJoin', false, NOW + 2),
    ];
    const base = readCommunity({ ...Automerge.toJS(foundedCommunity(founder)), settings: Object.fromEntries(records.map((r) => [r.id, r])) });
    fc.assert(fc.property(fc.shuffledSubarray(records, { minLength: records.length }), (order) => {
      const v = readCommunity({ ...Automerge.toJS(foundedCommunity(founder)), settings: Object.fromEntries(order.map((r) => [r.id, r])) });
      expect(v.settings).toEqual(base.settings);
      expect(v.stewards).toEqual(base.stewards);
    }), { numRuns: 50 });
    expect(base.settings.openJoin).toBe(false);
    expect(['A', 'B']).toContain(base.settings.name);
  });

  it('Scenario: a deleted member entry is restored from history; an entry re-pointed to another feed does not count', () => {
    const bob = createIdentity();
    const eve = createIdentity();
    let doc = foundedCommunity(founder);
    const entry = memberEntry(bob, createProfile(bob, 'Bob', NOW), 'c1', 'automerge:bobfeed', NOW);
    doc = Automerge.change(doc, (d) => void (d.members[bob.agentId] = JSON.parse(JSON.stringify(entry))));
    doc = Automerge.change(doc, (d) => void delete d.members[bob.agentId]);
    doc = Automerge.change(doc, (d) => void (d.members[eve.agentId] = { ...JSON.parse(JSON.stringify(memberEntry(eve, createProfile(eve, 'Eve', NOW), 'c1', 'automerge:x', NOW))), feedUrl: 'automerge:y' }));
    const view = readCommunity(doc, communityHistory(doc));
    expect(view.members[bob.agentId]?.feedUrl).toBe('automerge:bobfeed');
    expect(view.members[eve.agentId]).toBeUndefined();
  });
});

/** A fixed pool of signed records, so the property runs do not spend their time signing. */
function pool(owner: Identity, other: Identity) {
  const intents: Intent[][] = [];
  for (let i = 0; i < 4; i++) {
    const v1 = createIntent(owner, { kind: 'offer', category: 'food', title: `Offer ${i}`, description: '' }, NOW + i);
    const v2 = editIntent(owner, v1, { kind: 'offer', category: 'food', title: `Offer ${i} (edited)`, description: '' }, NOW + 100 + i);
    const v3 = setIntentStatus(owner, v2, 'withdrawn', NOW + 200 + i);
    intents.push([v1, v2, v3]);
  }
  const vouches: Vouch[] = [0, 1, 2].map((i) => createVouch(owner, { to: createIdentity().agentId, strength: 2, note: '' }, NOW + i));
  const revocations: Revocation[] = vouches.map((v, i) => createRevocation(owner, v.id, NOW + 300 + i));
  const foreign = createIntent(other, { kind: 'offer', category: 'food', title: 'Not the owner', description: '' }, NOW);
  return { intents, vouches, revocations, foreign };
}

type Op =
  | { who: 'honest'; kind: 'intent'; i: number; v: number }
  | { who: 'honest'; kind: 'vouch' | 'revoke'; i: number }
  | { who: 'hostile'; replica: number; kind: 'delete-intent' | 'corrupt-intent' | 'add-field' | 'old-version' | 'delete-revocation' | 'delete-vouch' | 'foreign' | 'wipe' | 'owner'; i: number }
  | { who: 'sync'; from: number; to: number };

const opArb = fc.oneof(
  fc.record({ who: fc.constant('honest' as const), kind: fc.constant('intent' as const), i: fc.nat(3), v: fc.nat(2) }),
  fc.record({ who: fc.constant('honest' as const), kind: fc.constantFrom('vouch' as const, 'revoke' as const), i: fc.nat(2) }),
  fc.record({
    who: fc.constant('hostile' as const),
    replica: fc.integer({ min: 1, max: 2 }),
    kind: fc.constantFrom('delete-intent' as const, 'corrupt-intent' as const, 'add-field' as const, 'old-version' as const, 'delete-revocation' as const, 'delete-vouch' as const, 'foreign' as const, 'wipe' as const, 'owner' as const),
    i: fc.nat(3),
  }),
  fc.record({ who: fc.constant('sync' as const), from: fc.nat(2), to: fc.nat(2) }),
);

const plain = <T>(x: T): T => JSON.parse(JSON.stringify(x));

describe('restoreFeed: a feed reads as its owner wrote it, whatever others did to it', () => {
  const owner = createIdentity();
  const other = createIdentity();
  const p = pool(owner, other);

  /** What a reader derives: valid intents (by id, with their content) and counting vouches. */
  const derive = (doc: Automerge.Doc<FeedDoc>, firstRead = false) => {
    const feed = restoreFeed(doc, firstRead ? firstReadHistory(doc, owner.agentId).h : feedHistory(doc), owner.agentId);
    const view = readFeed(feed);
    return {
      intents: view.intents.map((i) => `${i.id}:${i.updated}:${i.status}:${i.name}`).sort(),
      vouches: collectVouches([feed], NOW).valid.map((v) => v.id),
    };
  };

  it('Scenario: random honest and hostile edits merged in random order derive the view of the honest edits alone', () => {
    fc.assert(
      fc.property(fc.array(opArb, { minLength: 1, maxLength: 30 }), fc.array(fc.nat(2), { minLength: 3, maxLength: 3 }), (ops, mergeOrder) => {
        const base = amFrom<FeedDoc>(newFeedDoc(owner.agentId, 'c1'));
        // Replica 0 is the owner's phone; 1 and 2 are hostile writers; `honest` gets the owner's edits only.
        const replicas = [base, Automerge.clone(base), Automerge.clone(base)];
        let honest = Automerge.clone(base);
        const wrote = { intents: new Map<number, number>(), vouches: new Set<number>() };
        for (const op of ops) {
          if (op.who === 'honest') {
            const edit = (d: FeedDoc) => {
              if (op.kind === 'intent') {
                // The owner only moves forward: a version older than one already written is not rewritten.
                const v = Math.max(op.v, wrote.intents.get(op.i) ?? 0);
                wrote.intents.set(op.i, v);
                d.intents[p.intents[op.i][v].id] = plain(p.intents[op.i][v]);
              } else if (op.kind === 'vouch') {
                wrote.vouches.add(op.i);
                d.vouches[p.vouches[op.i].id] = plain(p.vouches[op.i]);
              } else if (wrote.vouches.has(op.i)) {
                d.revocations[p.revocations[op.i].id] = plain(p.revocations[op.i]);
              }
            };
            replicas[0] = Automerge.change(replicas[0], edit);
            honest = Automerge.change(honest, edit);
          } else if (op.who === 'sync') {
            replicas[op.to] = Automerge.merge(replicas[op.to], Automerge.clone(replicas[op.from]));
          } else {
            const id = p.intents[op.i][0].id;
            replicas[op.replica] = Automerge.change(replicas[op.replica], (d) => {
              switch (op.kind) {
                case 'delete-intent':
                  delete d.intents[id];
                  break;
                case 'corrupt-intent':
                  if (d.intents[id]) d.intents[id].name = 'Corrupted';
                  break;
                case 'add-field':
                  // Nothing overwritten: only a reader that replays the history finds the signed form.
                  if (d.intents[id] && !('payTo' in d.intents[id])) (d.intents[id] as unknown as Record<string, unknown>).payTo = 'Pay first';
                  break;
                case 'old-version':
                  // Replays the first version of an offer the owner has published (a hostile only has those).
                  if (wrote.intents.has(op.i)) d.intents[id] = plain(p.intents[op.i][0]);
                  break;
                case 'delete-revocation':
                  for (const k of Object.keys(d.revocations)) delete d.revocations[k];
                  break;
                case 'delete-vouch':
                  for (const k of Object.keys(d.vouches)) delete d.vouches[k];
                  break;
                case 'foreign':
                  d.intents[p.foreign.id] = plain(p.foreign);
                  break;
                case 'wipe':
                  d.intents = {};
                  break;
                case 'owner':
                  d.owner = other.agentId;
                  break;
              }
            });
          }
        }
        let merged = Automerge.clone(replicas[mergeOrder[0]]);
        for (const r of [...mergeOrder.slice(1), 0, 1, 2]) merged = Automerge.merge(merged, Automerge.clone(replicas[r]));
        // Older honest versions the owner wrote before a later one are what the honest-only doc also keeps.
        expect(derive(merged)).toEqual(derive(honest));
        // A phone's first read (records adopted when they hold) derives the same.
        expect(derive(merged, true)).toEqual(derive(honest));
      }),
      {
        numRuns: 60,
        // Found by this property once in CI-like runs: a wipe of the whole map, read in one run of changes
        // with the post it hid, lost that post (core/sync/change-runs.ts now ends a run there).
        examples: [
          [
            [
              { who: 'honest', kind: 'intent', i: 0, v: 0 },
              { who: 'sync', from: 0, to: 1 },
              { who: 'hostile', replica: 1, kind: 'wipe', i: 0 },
              { who: 'honest', kind: 'vouch', i: 0 },
            ],
            [1, 0, 0],
          ],
        ],
      },
    );
  });

  it('Scenario: history is scanned incrementally: a second update sees only new changes and keeps what it found', () => {
    let doc = amFrom<FeedDoc>(newFeedDoc(owner.agentId, 'c1'));
    const h = new SignedHistory(FEED_MAPS.map((m) => [m]));
    doc = Automerge.change(doc, (d) => void (d.intents[p.intents[0][0].id] = plain(p.intents[0][0])));
    h.update(doc);
    doc = Automerge.change(doc, (d) => void delete d.intents[p.intents[0][0].id]);
    h.update(doc);
    expect(h.versions(['intents'], p.intents[0][0].id)).toHaveLength(1);
    expect(readFeed(restoreFeed(doc, h, owner.agentId)).intents.map((i) => i.id)).toEqual([p.intents[0][0].id]);
  });

  it('Scenario: a first read of an honest feed takes its records as they are, and a field added to a signed post sends it back to the whole history', () => {
    let doc = amFrom<FeedDoc>(newFeedDoc(owner.agentId, 'c1'));
    for (const i of [0, 1, 2]) doc = Automerge.change(doc, (d) => void (d.intents[p.intents[i][0].id] = plain(p.intents[i][0])));
    const honest = firstReadHistory(doc, owner.agentId);
    expect(honest.adopted).toBe(true);
    expect(readFeed(restoreFeed(doc, honest.h, owner.agentId)).intents.map((i) => i.id).sort()).toEqual([0, 1, 2].map((i) => p.intents[i][0].id).sort());

    const target = p.intents[1][0];
    const tampered = Automerge.change(doc, (d) => void ((d.intents[target.id] as unknown as Record<string, unknown>).payTo = 'Pay first'));
    const read = firstReadHistory(tampered, owner.agentId);
    expect(read.adopted).toBe(true); // nothing was overwritten...
    expect(currentRecordsHold(tampered, owner.agentId)).toBe(false); // ...but the post no longer matches its signature
    const shown = readFeed(restoreFeed(tampered, read.h, owner.agentId)).intents.find((i) => i.id === target.id);
    expect(shown?.name).toBe(target.name);
    expect(shown && 'payTo' in shown).toBe(false);
  });

  it('Scenario: a feed where something was deleted or overwritten is never adopted', () => {
    const doc = Automerge.change(amFrom<FeedDoc>(newFeedDoc(owner.agentId, 'c1')), (d) => void (d.intents[p.intents[0][0].id] = plain(p.intents[0][0])));
    const deleted = Automerge.change(Automerge.clone(doc), (d) => void delete d.intents[p.intents[0][0].id]);
    const rewritten = Automerge.change(Automerge.clone(doc), (d) => void (d.intents[p.intents[0][0].id] = plain(p.intents[0][1])));
    for (const d of [deleted, rewritten]) expect(new SignedHistory(FEED_MAPS.map((m) => [m])).adopt(d)).toBe(false);
  });
});
