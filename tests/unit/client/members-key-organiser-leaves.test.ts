import { describe, expect, it } from 'vitest';
import type { FeedDoc } from '../../../src/core/model/types.ts';
import { until, type TestPhone } from './harness.ts';
import { makeOrganiser, twoPhoneSuite } from './two-phones.ts';

// openspec/specs/sealed-audiences/spec.md — keys outlive the organiser who issued them, on real phones

const suite = twoPhoneSuite();
const titles = (p: TestPhone) => p.phone.board.state.state.intents.map((i) => i.name);
const idOf = (p: TestPhone) => p.phone.session.state.state.me!.agentId;
const sealedEpochs = (p: TestPhone) => Object.values((p.phone.docs.feed!.doc() as FeedDoc).sealed ?? {}).map((s) => s.epoch);

describe('client: the members’ key when the organiser who rotated it leaves', () => {
  it('Scenario: an organiser who rotated the members’ key is demoted and removed: members still read what was sealed under her key, their phones seal it again under the next organiser’s, and she reads nothing new', async () => {
    const { repo, community, ana, ben, anaId } = await suite.founderAndNewcomer({ founded: true });
    await makeOrganiser(repo, community, anaId, ana);
    const join = async (name: string): Promise<TestPhone> => {
      const p = suite.phone(repo);
      await p.phone.boot();
      await p.phone.join(name, ana.phone.community.state.state.invite);
      await until(() => ana.phone.community.state.state.members[idOf(p)] === name, `Ana sees ${name}`);
      await ana.phone.trust.vouch(ana.phone.trust.readCode(p.phone.trust.myCode()), 3, 'met in person');
      await until(() => p.phone.membersKey.state.state.epochs.length > 0, `${name}'s phone holds the members' key`);
      return p;
    };
    const cara = await join('Cara');
    const dan = await join('Dan');
    await until(() => ben.phone.membersKey.state.state.epochs.length > 0, "Ben's phone holds the members' key");
    await ana.phone.communitySettings.save({ stewards: [anaId, idOf(cara)] });
    await until(() => cara.phone.communitySettings.amOrganiser(), 'Cara is an organiser');

    // Ana's phone is off; Cara removes Dan, and her phone rotates the key: it is the only issuer of the new one.
    ana.phone.stop();
    await cara.phone.communitySettings.removeMember(idOf(dan));
    await until(() => cara.phone.membersKey.state.state.rotations > 0, "Cara's phone rotated the members' key");
    const caras = Math.max(...cara.phone.membersKey.state.state.epochs);
    await until(() => ben.phone.membersKey.state.state.epochs.includes(caras), "Ben's phone holds Cara's key");
    await ben.phone.intents.post({ kind: 'offer', category: 'tools', title: 'Coat under Cara’s key', description: '', audience: 'trusted' });
    expect(sealedEpochs(ben)).toEqual([caras]);

    // Ana's phone comes back; she takes Cara off the organisers and removes her.
    const again = suite.phone(repo, ana.local);
    await again.phone.boot();
    await until(() => titles(again).includes('Coat under Cara’s key'), 'Ana reads the coat sealed under Cara’s key');
    await again.phone.communitySettings.save({ stewards: [anaId] });
    await again.phone.communitySettings.removeMember(idOf(cara));
    // (Ana's phone may rotate twice: once for Dan, whose removal it reads on its return, once for Cara.)

    // Ben's phone reads what was sealed under Cara's key still, and seals his coat again under Ana's.
    // The key that counts is the one no envelope gives Cara (an envelope boxes the whole chain up to its epoch).
    const caraId = idOf(cara);
    const caraOpens = (epoch: number) => Object.values(again.phone.docs.community!.doc()!.audienceKeys ?? {}).some((x) => x.to === caraId && x.audience === 'members' && x.epoch >= epoch);
    await until(() => sealedEpochs(ben).every((e) => e > caras && !caraOpens(e)), "Ben's coat sealed again under a key Cara never gets");
    const anas = sealedEpochs(ben)[0];
    expect(again.phone.membersKey.keyring().has(anas)).toBe(true);
    expect(titles(ben)).toContain('Coat under Cara’s key');
    await ben.phone.intents.post({ kind: 'need', category: 'food', title: 'Soup after Cara left', description: '', audience: 'trusted' });
    await until(() => titles(again).includes('Soup after Cara left'), 'Ana reads the soup');

    // Cara's phone holds no key to what came after, and lists none of it.
    expect(cara.phone.membersKey.keyring().has(anas)).toBe(false);
    expect(titles(cara)).not.toContain('Soup after Cara left');
  });
});
