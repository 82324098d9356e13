import * as Automerge from '@automerge/automerge';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIdentity, type Identity } from '../../../src/core/crypto/keys.ts';
import { useSignatureCheck } from '../../../src/core/crypto/sign.ts';
import { createProfile, memberEntries, memberEntry, newCommunityDoc, newFeedDoc, validMember } from '../../../src/core/model/community.ts';
import { createFounding } from '../../../src/core/model/community-records.ts';
import { defaultSettings } from '../../../src/core/model/community-settings.ts';
import { readFeed } from '../../../src/core/model/feed.ts';
import { createIntent, setIntentStatus } from '../../../src/core/model/intent.ts';
import { readCommunity } from '../../../src/core/model/read-community.ts';
import { COMMUNITY_MAPS, FEED_MAPS, restoreFeed } from '../../../src/core/model/restore.ts';
import { plainScalars, scalarRecord } from '../../../src/core/model/scalar-strings.ts';
import type { CommunityDoc, FeedDoc } from '../../../src/core/model/types.ts';
import { SignedHistory } from '../../../src/core/sync/signed-history.ts';
import { collectVouches, createRevocation, createVouch } from '../../../src/core/trust/vouch.ts';
import { nodeSignatureCheck } from '../../../relay/ed25519.ts';

// openspec/specs/write-rights — "Records read the same whichever way they are stored".
const NOW = 1_700_000_000_000;
const founder = createIdentity();
const people: Identity[] = [founder, createIdentity(), createIdentity()];
const COMMUNITY = 'c-scalars';
const plainCopy = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;

beforeAll(() => useSignatureCheck(nodeSignatureCheck()));
afterAll(() => useSignatureCheck(undefined));

/** Every signed record the test community holds, in the order a writer would put them in. */
function records() {
  const founding = createFounding(founder.signSecretKey, founder.agentId, COMMUNITY, defaultSettings('Huerta'), NOW);
  const members = people.map((p, i) => memberEntry(p, createProfile(p, `Persona ${i} ñ`, NOW), COMMUNITY, `automerge:feed${i}`, NOW + i));
  const offer = createIntent(people[1], { kind: 'offer', category: 'food', title: 'Pan de masa madre', description: 'Detrás de la casa' }, NOW);
  const given = setIntentStatus(people[1], createIntent(people[1], { kind: 'need', category: 'tools', title: 'A ladder', description: '' }, NOW), 'fulfilled', NOW + 5);
  const vouch = createVouch(founder, { to: people[1].agentId, strength: 3, note: 'neighbour' }, NOW);
  const other = createVouch(founder, { to: people[2].agentId, strength: 2, note: '' }, NOW);
  const revocation = createRevocation(founder, other.id, NOW + 9);
  return { founding, members, feeds: [{ owner: founder, intents: [], vouches: [vouch, other], revocations: [revocation] }, { owner: people[1], intents: [offer, given], vouches: [], revocations: [] }] };
}

const R = records();

/** The community doc and feeds, each record stored as scalars where `scalar(i)` says so, saved and loaded (a peer's copy). */
function docs(scalar: (i: number) => boolean) {
  let n = 0;
  const put = <T>(r: T): T => (scalar(n++) ? scalarRecord(plainCopy(r)) : plainCopy(r));
  const community = Automerge.change(Automerge.from(plainCopy(newCommunityDoc(COMMUNITY, 'Huerta', '', NOW)) as unknown as Record<string, unknown>) as unknown as Automerge.Doc<CommunityDoc>, (d) => {
    d.founding = put(R.founding);
    R.members.forEach((m) => (d.members[m.author] = put(m)));
  });
  const feeds = R.feeds.map((f) =>
    Automerge.change(Automerge.from(plainCopy(newFeedDoc(f.owner.agentId, COMMUNITY)) as unknown as Record<string, unknown>) as unknown as Automerge.Doc<FeedDoc>, (d) => {
      for (const i of f.intents) d.intents[i.id] = put(i);
      for (const v of f.vouches) d.vouches[v.id] = put(v);
      for (const r of f.revocations) d.revocations[r.id] = put(r);
    }),
  );
  const load = <T>(doc: Automerge.Doc<T>) => Automerge.load<T>(Automerge.save(doc));
  return { community: load(community), feeds: feeds.map(load) };
}

/** Everything a reader takes from the docs: the community view, each feed restored and read, the vouches. */
function read({ community, feeds }: ReturnType<typeof docs>) {
  const ch = new SignedHistory(COMMUNITY_MAPS);
  ch.update(community);
  const restored = feeds.map((f, i) => {
    const h = new SignedHistory(FEED_MAPS.map((m) => [m]));
    h.update(f);
    return restoreFeed(f, h, R.feeds[i].owner.agentId);
  });
  return {
    community: readCommunity(community, ch),
    feeds: restored.map(readFeed),
    vouches: collectVouches(restored, NOW + 10),
    raw: { feeds: feeds.map(readFeed), vouches: collectVouches(feeds, NOW + 10), members: memberEntries(community) },
  };
}

const allText = read(docs(() => false));

describe('records read the same whichever way they are stored', () => {
  it('Scenario: every reader gives the same answer for records stored as text, as scalars, or mixed (property)', () => {
    // Sanity: the all-text reading holds what was written, so "the same" below means "right".
    expect(Object.keys(allText.community.members).sort()).toEqual(people.map((p) => p.agentId).sort());
    expect(allText.community.problems).toEqual([]);
    expect(allText.feeds[1].intents.map((i) => i.name).sort()).toEqual(['A ladder', 'Pan de masa madre']);
    expect(allText.vouches.valid.map((v) => v.to)).toEqual([people[1].agentId]);
    const count = 1 + R.members.length + R.feeds.reduce((n, f) => n + f.intents.length + f.vouches.length + f.revocations.length, 0);
    fc.assert(
      fc.property(fc.array(fc.boolean(), { minLength: count, maxLength: count }), (choice) => {
        const got = read(docs((i) => choice[i]));
        expect(got).toEqual(allText);
        // Nothing a reader hands on is still a scalar: screens and checks see plain strings.
        expect(JSON.stringify(got.community.members)).toBe(JSON.stringify(allText.community.members));
        for (const m of Object.values(got.community.members)) expect(typeof m.profile.name).toBe('string');
      }),
      { numRuns: 40 },
    );
  });

  it('Scenario: a record stored as scalars and altered under its signature is refused, as it is stored as text', () => {
    const { community, feeds } = docs(() => true);
    const offer = R.feeds[1].intents[0];
    const forged = Automerge.change(feeds[1], (d) => void (d.intents[offer.id] = scalarRecord({ ...plainCopy(offer), name: 'Pan gratis para siempre' })));
    expect(readFeed(forged).intents.map((i) => i.name)).not.toContain('Pan gratis para siempre');
    expect(readFeed(forged).rejected.map((r) => r.reason)).toContain('error.badSignature');
    const member = people[2].agentId;
    const renamed = Automerge.change(community, (d) => void (d.members[member] = scalarRecord({ ...plainCopy(R.members[2]), feedUrl: 'automerge:elsewhere' })));
    expect(validMember(member, memberEntries(renamed)[member])).toBe(false);
    // With its history, the reader keeps the version its member signed.
    const h = new SignedHistory(COMMUNITY_MAPS);
    h.update(renamed);
    expect(readCommunity(renamed, h).members[member].feedUrl).toBe(R.members[2].feedUrl);
  });

  it('Scenario: a record stored as scalars that someone deletes is put back from history', () => {
    const { feeds } = docs(() => true);
    const offer = R.feeds[1].intents[0];
    const deleted = Automerge.change(feeds[1], (d) => void delete d.intents[offer.id]);
    const h = new SignedHistory(FEED_MAPS.map((m) => [m]));
    h.update(deleted);
    expect(readFeed(restoreFeed(deleted, h, people[1].agentId)).intents.map((i) => i.name)).toContain('Pan de masa madre');
  });

  it('Scenario: any value, stored as scalars at any depth, reads back as it was; one with none comes back as the same object (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        expect(plainScalars(scalarRecord(v))).toEqual(v);
        expect(plainScalars(v)).toBe(v);
        const stored = scalarRecord(v);
        expect(plainScalars(stored)).toBe(plainScalars(stored)); // one reading per stored value
      }),
      { numRuns: 300 },
    );
  });
});
