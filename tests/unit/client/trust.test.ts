import { describe, expect, it } from 'vitest';
import { until } from './harness.ts';
import { twoPhoneSuite } from './two-phones.ts';

const suite = twoPhoneSuite();

describe('client: trust in Node', () => {
  it('Scenario: a newcomer sees the community through whoever invited them, and may post once vouched for', async () => {
    const { ana, ben, anaId, benId } = await suite.founderAndNewcomer({ vouch: false });
    expect(ana.phone.trust.state.state.trust).toMatchObject({ founder: true, standing: 1 });
    expect(ben.phone.trust.state.state.trust).toMatchObject({ founder: false, anchors: [anaId] });
    expect(ben.phone.trust.gate('post-offer')?.allowed).toBe(false);
    await expect(ben.phone.intents.post({ kind: 'offer', category: 'food', title: 'Bread', description: '' })).rejects.toThrow(ben.phone.trust.gate('post-offer')!.reason);

    const vouch = await ana.phone.trust.vouch(ana.phone.trust.readCode(ben.phone.trust.myCode()), 3, 'met at the market');
    await until(() => !!ben.phone.trust.gate('post-offer')?.allowed, "Ben's standing rises");
    expect(ana.phone.trust.state.state.trust!.people.map((p) => p.agentId)).toContain(benId);
    expect(ana.phone.trust.explain(benId)).toBeDefined();

    await ana.phone.trust.revoke(vouch.id);
    await until(() => ben.phone.trust.gate('post-offer')?.allowed === false, "Ben's standing falls after the revocation");
  });

  it('Scenario: a vouch note is sealed for members; a newcomer’s note waits on the phone until the members’ key arrives', async () => {
    const { repo, community, ana, anaId } = await suite.founderAndNewcomer({ vouch: false });
    // Cai joins with the community's own invite (nobody named as inviter): a newcomer, who may vouch in
    // person for the one he sees the community through, but holds no members' key yet.
    const cai = suite.phone(repo);
    await cai.phone.boot();
    await cai.phone.join('Cai', community.invite);
    const caiId = cai.phone.session.state.state.me!.agentId;
    await until(() => cai.phone.trust.isNewcomer() && ana.phone.community.state.state.members[caiId] === 'Cai', 'Cai is a newcomer Ana can see');
    const caiVouch = await cai.phone.trust.vouch(cai.phone.trust.readCode(ana.phone.trust.myCode()), 3, 'She fixed our roof');
    expect(caiVouch).toMatchObject({ note: '', noteSealed: true, to: anaId });
    expect(cai.phone.trust.state.state.pendingNotes.map((n) => n.note)).toEqual(['She fixed our roof']);
    expect(JSON.stringify(cai.phone.docs.feed!.doc())).not.toContain('fixed our roof');
    // Ana vouches for him with a note: sealed at once (she holds the key), never in clear in her feed.
    await until(() => ana.phone.membersKey.state.state.epochs.length > 0, "Ana's phone holds the members' key");
    const anaVouch = await ana.phone.trust.vouch(ana.phone.trust.readCode(cai.phone.trust.myCode()), 3, 'Met at the market, lives by the mill');
    const anaFeed = ana.phone.docs.feed!.doc()!;
    expect(JSON.stringify(anaFeed)).not.toContain('the mill');
    expect(anaFeed.vouches[anaVouch.id]).toMatchObject({ note: '', noteSealed: true });
    expect(anaFeed.sealed?.[anaVouch.id]?.audience).toBe('members');
    await until(() => ana.phone.community.state.state.vouchNotes[`${anaId}/${anaVouch.id}`]?.note === 'Met at the market, lives by the mill', 'Ana reads her own note back');
    // Cai is vouched now, his phone gets the key, and his waiting note is sealed into his feed; Ana reads it.
    await until(() => cai.phone.membersKey.state.state.epochs.length > 0, "Cai's phone gets the members' key");
    await until(() => cai.phone.trust.state.state.pendingNotes.length === 0, "Cai's note leaves the waiting list");
    expect(cai.phone.docs.feed!.doc()!.sealed?.[caiVouch.id]).toBeDefined();
    expect(JSON.stringify(cai.phone.docs.feed!.doc())).not.toContain('fixed our roof');
    await until(() => ana.phone.community.state.state.vouchNotes[`${caiId}/${caiVouch.id}`]?.note === 'She fixed our roof', "Ana reads Cai's note");
  });

  it('Scenario: a code that is my own, or not a code at all, is refused with a message', async () => {
    const { ana } = await suite.founderAndNewcomer({ vouch: false });
    expect(() => ana.phone.trust.readCode(ana.phone.trust.myCode())).toThrow('trust.code.own');
    expect(() => ana.phone.trust.readCode('hello')).toThrow(/^trust\.code\./);
  });
});
