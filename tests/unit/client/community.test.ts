import { describe, expect, it } from 'vitest';
import type { CommunityDoc } from '../../../src/core/model/types.ts';
import { createIntent } from '../../../src/core/model/intent.ts';
import { createIdentity } from '../../../src/core/crypto/keys.ts';
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
});
