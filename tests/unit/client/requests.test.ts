import { describe, expect, it } from 'vitest';
import { until } from './harness.ts';
import { twoPhoneSuite } from './two-phones.ts';

const suite = twoPhoneSuite();

describe('client: requests for my posts, and My posts', () => {
  it('Scenario: "I can help" on a need reaches its owner as a badge count and one notification; confirming it promises the help', async () => {
    const { ana, ben, anaId, benId } = await suite.founderAndNewcomer();
    const need = await ana.phone.intents.post({ kind: 'need', category: 'tools', title: 'Ladder for the roof', description: '' });
    await until(() => ben.phone.community.views.get(anaId)?.intents.length === 1, 'Ben has Ana’s need');
    await ben.phone.intents.propose(need, undefined, '  I have one, Saturday?  ');
    await until(() => ana.phone.requestsState.state.requestsForMe === 1, 'Ana’s badge counts the request');
    const [row] = ana.phone.requestsState.state.requests;
    expect(row).toMatchObject({ postTitle: 'Ladder for the roof', from: benId, note: 'I have one, Saturday?' });
    await until(() => ana.requestsNotified.length === 1, 'Ana is notified');
    expect(ana.requestsNotified[0]).toMatchObject({ fromName: 'Ben', postTitle: 'Ladder for the roof', postKind: 'need' });
    // Ben sees nothing to answer: it is not his post.
    expect(ben.phone.requestsState.state.requestsForMe).toBe(0);
    await expect(ana.phone.intents.propose(need, undefined, '')).rejects.toThrow('agree.ownPost');

    await ana.phone.intents.confirmProposal(need, row.proposalId);
    await until(() => ana.phone.requestsState.state.requestsForMe === 0, 'the answered request leaves the badge');
    await expect(ana.phone.intents.confirmProposal(need, row.proposalId)).rejects.toThrow('agree.alreadyAnswered');
    const c = ana.phone.community.state.state.agreements.commitments[0];
    expect(c).toMatchObject({ author: anaId, provider: benId, receiver: anaId, satisfies: need.id });
    expect(ana.phone.requestsState.state.myPosts.map((p) => p.stage)).toEqual(['promised']);
    // The owner of the need records that she received it; it is done, once.
    await ana.phone.intents.handOver(need, c.id);
    await until(() => ana.phone.requestsState.state.myPosts[0]?.stage === 'done', 'the need is done');
    await expect(ana.phone.intents.handOver(need, c.id)).rejects.toThrow('mine.alreadyDone');
    await until(() => ben.phone.community.state.state.agreements.events.some((e) => e.fulfills === c.id && e.provider === benId), 'Ben sees the hand-over');
    expect(ana.requestsNotified).toHaveLength(1);
  });

  it('Scenario: the owner declines a request; it leaves the badge and the asker can see the answer', async () => {
    const { ana, ben, anaId } = await suite.founderAndNewcomer();
    const offer = await ana.phone.intents.post({ kind: 'offer', category: 'food', title: 'Bread', description: '' });
    await until(() => ben.phone.community.views.get(anaId)?.intents.length === 1, 'Ben has Ana’s offer');
    await ben.phone.intents.propose(offer, undefined, '');
    await until(() => ana.phone.requestsState.state.requestsForMe === 1, 'Ana sees the request');
    await ana.phone.intents.declineProposal(offer, ana.phone.requestsState.state.requests[0].proposalId);
    await until(() => ana.phone.requestsState.state.requestsForMe === 0, 'the declined request leaves the badge');
    await until(() => ben.phone.community.state.state.agreements.declines.length === 1, 'Ben’s phone reads the decline');
    expect(ana.phone.requestsState.state.myPosts[0].stage).toBe('active');
  });

  it('Scenario: "Mark as given" cannot be done twice, and undo puts the post back with nothing lost', async () => {
    const { ana, anaId } = await suite.founderAndNewcomer();
    const soup = await ana.phone.intents.post({ kind: 'offer', category: 'food', title: 'Soup', description: '' });
    // Two taps with the same (stale) copy of the post: the second is refused.
    await ana.phone.intents.markDone(soup, '');
    await expect(ana.phone.intents.markDone(soup, '')).rejects.toThrow('mine.alreadyDone');
    await until(() => ana.phone.requestsState.state.myPosts[0]?.stage === 'done', 'Soup is done');
    const view = () => ana.phone.community.views.get(anaId)!;
    await until(() => view().events.filter((e) => e.satisfies === soup.id).length === 1, 'one hand-over is recorded');

    await ana.phone.intents.undoDone(soup);
    await until(() => ana.phone.requestsState.state.myPosts[0]?.stage === 'active', 'Soup is open again');
    // The mistaken hand-over stays in the feed, taken back by a correcting event.
    await until(() => view().events.length === 2, 'both events are in the feed');
    const [given] = view().events.filter((e) => e.satisfies === soup.id);
    expect(view().events.find((e) => e.corrects)?.corrects).toBe(given.id);
    await expect(ana.phone.intents.undoDone(soup)).rejects.toThrow('mine.notDone');
    await until(() => ana.phone.board.state.state.intents.some((i) => i.name === 'Soup'), 'Soup is listed again');

    await ana.phone.intents.withdraw(soup);
    await until(() => ana.phone.requestsState.state.myPosts[0]?.stage === 'withdrawn', 'withdrawn shows in My posts');
    await ana.phone.intents.reopen(soup);
    await until(() => ana.phone.requestsState.state.myPosts[0]?.stage === 'active', 'undo of withdraw');
    await expect(ana.phone.intents.reopen(soup)).rejects.toThrow('mine.notWithdrawn');
  });
});
