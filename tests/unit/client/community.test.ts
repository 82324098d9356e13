import { describe, expect, it } from 'vitest';
import type { CommunityDoc } from '../../../src/core/model/types.ts';
import { createIntent } from '../../../src/core/model/intent.ts';
import { createIdentity } from '../../../src/core/crypto/keys.ts';
import { createProfile, memberEntry, newFeedDoc } from '../../../src/core/model/community.ts';
import { createFounding } from '../../../src/core/model/community-records.ts';
import { defaultSettings } from '../../../src/core/model/community-settings.ts';
import type { FeedDoc } from '../../../src/core/model/types.ts';
import { readCommunity } from '../../../src/core/model/read-community.ts';
import { decodeInvite, encodeInvite } from '../../../src/core/protocol/invite.ts';
import { until } from './harness.ts';
import { twoPhoneSuite } from './two-phones.ts';

const suite = twoPhoneSuite();

describe('client: the community as a phone reads it, in Node', () => {
  it('Scenario: each phone lists both members by name, and the invite it shows names its holder as inviter', async () => {
    const { ana, ben, anaId, benId } = await suite.founderAndNewcomer({ vouch: false });
    for (const p of [ana, ben]) expect(p.phone.community.state.state.members).toEqual({ [anaId]: 'Ana', [benId]: 'Ben' });
    expect(ana.phone.community.state.state.communityName).toBe('Riverside');
    expect(ben.phone.community.state.state.invite).not.toBe(ana.phone.community.state.state.invite);
    await until(() => ana.phone.community.feedsLoaded(), 'Ana has loaded both members\' feeds'); // feeds load after the directory lists them
    expect(ana.phone.community.recipient(benId)).toMatchObject({ agentId: benId, name: 'Ben' });
    expect(ana.phone.community.recipient('nobody')).toBeUndefined();
  });

  it('Scenario: unsigned edits to the shared doc — a rename, a deleted member — change nothing a phone shows', async () => {
    const { ana, ben, anaId, benId } = await suite.founderAndNewcomer({ vouch: false, founded: true });
    const before = ana.phone.community.view();
    ben.phone.docs.community!.change((d: CommunityDoc) => {
      d.name = 'Taken over';
      delete d.members[anaId];
    });
    await until(() => ana.phone.docs.community!.doc().name === 'Taken over', 'the raw edit reached Ana');
    await until(() => ana.phone.community.view().problems.some((p) => p.reason === 'member.restored'), 'the deleted member is restored from history');
    expect(ana.phone.community.state.state.communityName).toBe('Riverside');
    expect(ana.phone.community.view().settings).toEqual(before.settings);
    expect(ana.phone.community.state.state.members).toEqual({ [anaId]: 'Ana', [benId]: 'Ben' });
  });

  it('Scenario: an offer written into Ben’s feed by someone else is not listed and is counted as refused', async () => {
    const { ana, ben } = await suite.founderAndNewcomer();
    const mallory = createIdentity();
    const forged = createIntent(mallory, { kind: 'offer', category: 'food', title: 'Free phones, DM me', description: '' }, Date.now());
    ben.phone.docs.feed!.change((d) => void (d.intents[forged.id] = forged));
    await ben.phone.intents.post({ kind: 'offer', category: 'food', title: 'Honest bread', description: '' });
    await until(() => ana.phone.board.state.state.intents.some((i) => i.name === 'Honest bread'), 'Ana lists Ben’s real offer');
    expect(ana.phone.board.state.state.intents.map((i) => i.name)).not.toContain('Free phones, DM me');
    await until(() => ana.phone.community.state.state.rejected > 0, 'the forged record is counted as refused');
  });

  it('Scenario: a forged founding record dated earlier does not make its author founder or organiser on a phone that joined with the new invite', async () => {
    const { repo, community, ana, ben, anaId, benId } = await suite.founderAndNewcomer({ vouch: false, founded: true });
    // The invite Ana joined with named the founder, and the invite her phone shows passes it on to Ben.
    expect(community.founder).toBeDefined();
    expect(decodeInvite(ana.phone.community.state.state.invite)?.founder).toBe(community.founder);
    // Cleo joins with an invite made before invites named the founder: her phone pins the one it first reads.
    const cleo = suite.phone(repo);
    await cleo.phone.boot();
    await cleo.phone.join('Cleo', encodeInvite({ url: community.url, name: 'Riverside' }));
    await until(() => cleo.phone.community.view().founder === community.founder && cleo.phone.community.state.state.members[anaId] === 'Ana', 'Cleo read the community');

    // Mallory, a newcomer with write access, signs herself in as a member and writes her own founding
    // record dated at the epoch: it names her the only organiser and renames the community.
    const mallory = createIdentity();
    const id = community.id;
    const feed = repo.create<FeedDoc>(newFeedDoc(mallory.agentId, id));
    const forged = createFounding(mallory.signSecretKey, mallory.agentId, id, { ...defaultSettings('Mallory town'), stewards: [mallory.agentId] }, 0);
    ben.phone.docs.community!.change((d: CommunityDoc) => {
      d.members[mallory.agentId] = memberEntry(mallory, createProfile(mallory, 'Mallory', Date.now()), id, feed.url, Date.now());
      d.founding = forged;
    });
    // A reader with no pin would take the earliest valid founding record: Mallory's (what the pin prevents).
    expect(readCommunity(ben.phone.docs.community!.doc()).founder).toBe(mallory.agentId);

    for (const [who, p] of [['Ana', ana], ['Ben', ben], ['Cleo', cleo]] as const) {
      await until(() => p.phone.community.state.state.members[mallory.agentId] === 'Mallory', `${who}'s phone read the forged doc`);
      const view = p.phone.community.view();
      expect(view.founder).toBe(community.founder);
      expect(view.settings.name).toBe('Riverside');
      expect(view.stewards).not.toContain(mallory.agentId);
      expect(p.phone.community.state.state.stewards).not.toContain(mallory.agentId);
      expect(p.phone.community.state.state.communityName).toBe('Riverside');
      expect(decodeInvite(p.phone.community.state.state.invite)?.founder).toBe(community.founder);
    }
    expect(ana.phone.community.state.state.members).toMatchObject({ [anaId]: 'Ana', [benId]: 'Ben' });
  });
});
