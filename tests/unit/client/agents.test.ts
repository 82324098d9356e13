import { describe, expect, it } from 'vitest';
import { until } from './harness.ts';
import { twoPhoneSuite } from './two-phones.ts';

const suite = twoPhoneSuite();

describe('client: agents, decisions and discovery in Node', () => {
  it('Scenario: the matchmaker suggests my need to an offer; accepting asks the giver, declining hides it for good', async () => {
    const { ana, ben, anaId, benId } = await suite.founderAndNewcomer();
    await ana.phone.intents.post({ kind: 'offer', category: 'tools', title: 'Ladder', description: 'tall', area: 'north' });
    await ben.phone.intents.post({ kind: 'need', category: 'tools', title: 'Need a ladder', description: '', area: 'north' });
    const views = ben.phone.community.views;
    await until(() => views.get(anaId)?.intents.length === 1 && views.get(benId)?.intents.length === 1, 'Ben has read both posts');
    await ben.phone.agents.runNow();
    const match = ben.phone.agents.state.state.suggestions.find((p) => p.kind === 'match');
    expect(match).toBeDefined();
    expect(ben.phone.agents.state.state.agentRuns.length).toBeGreaterThan(0);
    expect(await ben.phone.agents.acceptMatch(match!)).toBe('asked');
    await until(() => ana.phone.community.state.state.agreements.proposals.length === 1, 'Ana receives the request');
    expect(ben.phone.agents.state.state.suggestions.some((p) => p.id === match!.id)).toBe(false);
    await ben.phone.agents.runNow();
    expect(ben.phone.agents.state.state.suggestions.some((p) => p.id === match!.id)).toBe(false);

    await ben.phone.agents.setEnabled('MutualAidMatchmaker', false);
    expect(ben.phone.agents.state.state.agentsEnabled).not.toContain('MutualAidMatchmaker');
    await ben.phone.agents.runNow();
    expect(ben.phone.agents.state.state.agentsEnabled).not.toContain('MutualAidMatchmaker');
    // No relay: nothing from the island, and no crash.
    expect(await ben.phone.agents.islandSuggestions()).toEqual([]);
  });

  it('Scenario: a hand-over marked given and then undone is not counted by the agents on the phone', async () => {
    const { ana, ben, anaId, benId } = await suite.founderAndNewcomer();
    const ladder = await ana.phone.intents.post({ kind: 'offer', category: 'tools', title: 'Ladder', description: 'tall', area: 'north' });
    // A waiting need keeps GiftFlow's weekly summary there even when no hand-over counts.
    await ben.phone.intents.post({ kind: 'need', category: 'food', title: 'Rice', description: '', area: 'north' });
    const views = ana.phone.community.views;
    const handOvers = async (): Promise<unknown> => {
      await ana.phone.agents.runNow();
      return ana.phone.agents.state.state.suggestions.find((p) => p.agent === 'GiftFlow' && p.kind === 'flow-summary')?.summaryParams.handOvers;
    };
    await until(() => views.get(anaId)?.intents.length === 1 && views.get(benId)?.intents.length === 1, 'Ana has read both posts');
    await ana.phone.intents.markDone(ladder, 'to Ben');
    await until(() => views.get(anaId)?.events.length === 1, 'Ana reads her hand-over back');
    expect(await handOvers()).toBe(1);

    await ana.phone.intents.undoDone(ladder);
    await until(() => views.get(anaId)?.events.length === 2, 'Ana reads the undo back');
    expect(await handOvers()).toBe(0);
  });

  it('Scenario: a decision is proposed, answered and adopted through signed records in each member’s feed', async () => {
    const { ana, ben } = await suite.founderAndNewcomer();
    await ana.phone.decisions.propose('Tool library hours', 'Open Saturdays', 0);
    await until(() => ben.phone.community.state.state.decisions.length === 1, 'Ben sees the draft');
    await ana.phone.decisions.openRound(ana.phone.community.state.state.decisions[0]);
    await until(() => ben.phone.community.state.state.decisions[0]?.phase === 'round-open', 'the round is open on Ben’s phone');
    await ben.phone.decisions.answer(ben.phone.community.state.state.decisions[0], true, 'fine by me');
    await until(() => ana.phone.community.state.state.decisions[0]?.consents.length === 1, 'Ana sees the consent');
    await ana.phone.decisions.outcome(ana.phone.community.state.state.decisions[0], 'adopted');
    await until(() => ben.phone.community.state.state.decisions[0]?.outcome?.result === 'adopted', 'Ben sees it adopted');
  });

  it('Scenario: a search with no relay in reach says so and keeps no search', async () => {
    const { ana } = await suite.founderAndNewcomer({ vouch: false });
    await expect(ana.phone.discovery.search({ text: 'ladder' })).rejects.toThrow('error.relayUnreachable');
    expect(ana.phone.discovery.state.state.searches).toEqual([]);
    expect(await ana.phone.discovery.answers('q1')).toEqual([]);
  });
});
