import { describe, expect, it } from 'vitest';
import type { FeedDoc } from '../../../src/core/model/types.ts';
import { until } from './harness.ts';
import { twoPhoneSuite } from './two-phones.ts';

const suite = twoPhoneSuite();

describe('client: community decisions in Node', () => {
  it('Scenario: an objection is shown with its reason on the facilitator’s phone, and no consent is counted', async () => {
    const { ana, ben, benId } = await suite.founderAndNewcomer();
    await ana.phone.decisions.propose('  Quiet hours  ', 'No drilling after nine', 0);
    await until(() => ben.phone.community.state.state.decisions.length === 1, 'Ben sees the draft');
    // Titles are kept as written, without stray spaces.
    expect(ben.phone.community.state.state.decisions[0].title).toBe('Quiet hours');
    await ana.phone.decisions.openRound(ana.phone.community.state.state.decisions[0], 24);
    await until(() => ben.phone.community.state.state.decisions[0]?.phase === 'round-open', 'the round is open on Ben’s phone');
    await ben.phone.decisions.answer(ben.phone.community.state.state.decisions[0], false, 'Night shift workers sleep by day');
    await until(() => ana.phone.community.state.state.decisions[0]?.objections.length === 1, 'Ana sees the objection');
    const [objection] = ana.phone.community.state.state.decisions[0].objections;
    expect(objection).toMatchObject({ author: benId, text: 'Night shift workers sleep by day' });
    expect(ana.phone.community.state.state.decisions[0].consents).toEqual([]);
  });

  it('Scenario: a decision proposed right after a start, before the docs are open, waits for them and is kept', async () => {
    const { repo, ana, ben } = await suite.founderAndNewcomer();
    ana.phone.stop();
    let compiled!: () => void;
    const again = suite.phone(repo, ana.local, undefined, undefined, new Promise<void>((r) => (compiled = r)));
    const booted = again.phone.boot();
    await until(() => again.phone.session.state.state.phase === 'ready', 'the list is shown');
    const proposed = again.phone.decisions.propose('Tool library', 'Keep the drills at the school', 0);
    compiled();
    await proposed;
    await booted;
    await until(() => ben.phone.community.state.state.decisions.some((d) => d.title === 'Tool library'), 'Ben sees the draft');
  });

  it('Scenario: a decision is in no feed in clear; a member without the members’ key reads none and is told why', async () => {
    const { repo, ana, ben } = await suite.founderAndNewcomer();
    await ana.phone.decisions.propose('Move the market', 'To the square by the fountain', 1);
    await until(() => ben.phone.community.state.state.decisions.length === 1, 'Ben, vouched, reads the draft');
    expect(ben.phone.community.state.state.readsSealed).toBe(true);
    const anaFeed = JSON.stringify(ana.phone.docs.feed!.doc());
    for (const s of ['Move the market', 'fountain']) expect(anaFeed).not.toContain(s);
    // Cara joined, nobody vouched for her: no key, no decisions, and the page says why instead of failing.
    const cara = suite.phone(repo);
    await cara.phone.boot();
    await cara.phone.join('Cara', ana.phone.community.state.state.invite);
    await until(() => cara.phone.community.feedsLoaded() && Object.keys(cara.phone.community.state.state.members).length === 3, 'Cara has every feed');
    await until(() => cara.phone.community.views.size === 3, 'Cara read every feed');
    expect(cara.phone.community.state.state.decisions).toEqual([]);
    expect(cara.phone.community.state.state.readsSealed).toBe(false);
    await expect(cara.phone.decisions.propose('Sneaky', '', 1)).rejects.toThrow('sealedMore.decisionNoKey');
    expect(JSON.stringify(cara.phone.docs.feed!.doc())).not.toContain('Sneaky');
  });

  it('Scenario: a consent written into Ana’s feed under Ben’s name is not counted as his', async () => {
    const { ana, ben, benId } = await suite.founderAndNewcomer();
    await ana.phone.decisions.propose('Share the van', 'Weekdays only', 0);
    await until(() => ana.phone.community.state.state.decisions.length === 1, 'the draft is read back');
    await ana.phone.decisions.openRound(ana.phone.community.state.state.decisions[0]);
    await until(() => ana.phone.community.state.state.decisions[0]?.phase === 'round-open', 'the round is open');
    const s = ana.phone.community.state.state.decisions[0];
    // Ben's real consent, copied by Ana into her own feed: his sealed entry under a new key, and his signed
    // record in clear (as records were written before decisions were sealed) with a second answer on it.
    await ben.phone.decisions.answer(s, true, 'yes');
    await until(() => ana.phone.community.state.state.decisions[0]?.consents.length === 1, 'Ben’s consent counts once');
    const benFeed = ben.phone.docs.feed!.doc() as FeedDoc;
    expect(benFeed.decisions ?? {}).toEqual({});
    // Sealed entries keep their long strings as Automerge scalars (core/model/scalar-strings.ts): read as strings.
    const sealed = Object.values(benFeed.sealed ?? {}).find((e) => String(e.id) === ben.phone.community.decisionRecords.get(benId)![0].id)!;
    const real = ben.phone.community.decisionRecords.get(benId)![0] as unknown as Record<string, unknown>;
    ana.phone.docs.feed!.change((d) => {
      d.sealed ??= {};
      d.sealed['copied'] = { ...JSON.parse(JSON.stringify(sealed)), id: 'copied' };
      d.decisions ??= {};
      d.decisions['forged'] = { ...real, id: 'forged', note: 'also yes' } as never;
    });
    await ana.phone.decisions.propose('Another', 'to let the feed be read again', 0);
    await until(() => ana.phone.community.state.state.decisions.length === 2, 'the feed was read again');
    const consents = ana.phone.community.state.state.decisions.find((d) => d.title === 'Share the van')!.consents;
    expect(consents.map((c) => c.author)).toEqual([benId]);
  });
});
