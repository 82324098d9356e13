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

  it('Scenario: a code that is my own, or not a code at all, is refused with a message', async () => {
    const { ana } = await suite.founderAndNewcomer({ vouch: false });
    expect(() => ana.phone.trust.readCode(ana.phone.trust.myCode())).toThrow('trust.code.own');
    expect(() => ana.phone.trust.readCode('hello')).toThrow(/^trust\.code\./);
  });
});
