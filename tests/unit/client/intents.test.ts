import { describe, expect, it } from 'vitest';
import { until } from './harness.ts';
import { twoPhoneSuite } from './two-phones.ts';

const suite = twoPhoneSuite();
const names = (list: Array<{ name: string }>) => list.map((i) => i.name).sort();

describe('client: offers, needs and the list in Node', () => {
  it('Scenario: an offer posted on one phone is listed on the other; edits, withdrawals and hand-overs follow', async () => {
    const { ana, ben } = await suite.founderAndNewcomer();
    const soup = await ben.phone.intents.post({ kind: 'offer', category: 'food', title: 'Soup', description: 'Lentil', area: 'north' });
    await until(() => names(ana.phone.board.state.state.intents).includes('Soup'), 'Ana lists Ben’s soup');
    expect(ana.phone.intents.isMine(soup)).toBe(false);
    expect(ben.phone.intents.isMine(soup)).toBe(true);
    await expect(ben.phone.intents.post({ kind: 'offer', category: 'food', title: '', description: '' })).rejects.toThrow(/^error\./);

    await ben.phone.intents.edit(soup, { kind: 'offer', category: 'food', title: 'Soup and bread', description: 'Lentil', area: 'north' });
    await until(() => names(ana.phone.board.state.state.intents).includes('Soup and bread'), 'the edit reaches Ana');
    expect(names(ana.phone.board.state.state.intents)).not.toContain('Soup');

    const chair = await ben.phone.intents.post({ kind: 'offer', category: 'tools', title: 'Chair', description: '' });
    await until(() => names(ana.phone.board.state.state.intents).includes('Chair'), 'the chair is listed');
    await ben.phone.intents.withdraw(chair);
    await until(() => !names(ana.phone.board.state.state.intents).includes('Chair'), 'a withdrawn offer leaves the list');

    const found = await ana.phone.board.find(`${soup.author}/${soup.id}`);
    await ben.phone.intents.markDone(found!, 'given to a neighbour');
    await until(() => !names(ana.phone.board.state.state.intents).includes('Soup and bread'), 'a fulfilled offer leaves the open list');
    await ana.phone.board.setFilter({ includeClosed: true });
    expect(ana.phone.board.state.state.intents.find((i) => i.name === 'Soup and bread')?.status).toBe('fulfilled');
    expect(ana.phone.community.state.state.agreements.events).toHaveLength(1);
    // The pending count grew with every write (no relay has acknowledged any).
    expect(ben.phone.sync.state.state.pending).toBeGreaterThanOrEqual(4);
  });

  it('Scenario: the list shows a page at a time, filters by text, and members-only posts are kept sealed in the index', async () => {
    const { ana, ben } = await suite.founderAndNewcomer();
    for (let i = 1; i <= 55; i++) await ana.phone.intents.post({ kind: 'offer', category: 'tools', title: `Tool ${i}`, description: '' });
    await ana.phone.intents.post({ kind: 'need', category: 'food', title: 'Quiet rice', description: '', audience: 'trusted' });
    await until(() => ana.phone.board.state.state.totalMatches === 56, 'all 56 counted');
    expect(ana.phone.board.state.state.intents).toHaveLength(50);
    await ana.phone.board.showMore();
    expect(ana.phone.board.state.state.intents).toHaveLength(56);
    await ana.phone.board.setFilter({ text: 'rice' });
    expect(names(ana.phone.board.state.state.intents)).toEqual(['Quiet rice']);

    const row = [...(await ana.local.intents.open())].find((r) => r.record === null);
    expect(row?.sealed).toBeInstanceOf(Uint8Array);
    expect(JSON.stringify(row)).not.toContain('Quiet rice');
    // Ben is vouched for with the post threshold; the sealed row opens for him only if he may view members' posts.
    await until(() => ben.phone.board.state.state.totalMatches >= 55, 'Ben lists the public tools');
    await ben.phone.board.setFilter({ text: 'rice' });
    expect(ben.phone.trust.gate('view-members')?.allowed).toBe(true);
    expect(names(ben.phone.board.state.state.intents)).toEqual(['Quiet rice']);
  });

  it('Scenario: a need asks an offer; the giver confirms and records the hand-over', async () => {
    const { ana, ben, anaId, benId } = await suite.founderAndNewcomer();
    const drill = await ana.phone.intents.post({ kind: 'offer', category: 'tools', title: 'Drill', description: '' });
    const need = await ben.phone.intents.post({ kind: 'need', category: 'tools', title: 'Need a drill', description: '' });
    await until(() => ben.phone.community.views.get(anaId)?.intents.length === 1, 'Ben has Ana’s feed read');
    await ben.phone.intents.propose(drill, need, 'for a shelf');
    await until(() => ana.phone.community.state.state.agreements.proposals.length === 1, 'Ana sees the request');
    const proposal = ana.phone.community.state.state.agreements.proposals[0];
    await expect(ana.phone.intents.confirmProposal(drill, 'no-such-proposal')).rejects.toThrow('agents.gone');
    await ana.phone.intents.confirmProposal(drill, proposal.id);
    await until(() => ana.phone.community.state.state.agreements.commitments.length === 1, 'the commitment is read back');
    const c = ana.phone.community.state.state.agreements.commitments[0];
    expect(c).toMatchObject({ provider: anaId, receiver: benId });
    await ana.phone.intents.handOver(drill, c.id);
    await until(() => ben.phone.community.state.state.agreements.events.some((e) => e.fulfills === c.id), 'Ben sees the hand-over');
  });
});
