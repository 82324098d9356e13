import { describe, expect, it } from 'vitest';
import { createIdentity } from '../../../src/core/crypto/keys.ts';
import { checkCommitment, checkProposal, createCommitment, createIntent, createProposal, newFeedDoc, readFeed, recordHandOver } from '../../../src/core/model/index.ts';

// openspec/specs/agents/spec.md — agreeing a gift: Proposal → Commitment → EconomicEvent
const NOW = 1_700_000_000_000;
const ana = createIdentity();
const beto = createIdentity();
const offer = createIntent(ana, { kind: 'offer', category: 'tools', title: 'Wheelbarrow', description: '' }, NOW);
const need = createIntent(beto, { kind: 'need', category: 'tools', title: 'Something to move soil', description: '' }, NOW);

describe('agreements', () => {
  it('Scenario: a proposal, its commitment and the hand-over link up and verify in their authors\' feeds', () => {
    const p = createProposal(beto, offer, need, 'Saturday?', NOW + 1);
    const c = createCommitment(ana, offer, p, NOW + 2);
    const e = recordHandOver(ana, offer, beto.agentId, '', NOW + 3, c.id);
    expect([p.publishes, p.publisher, p.reciprocal]).toEqual([offer.id, ana.agentId, need.id]);
    expect([c.provider, c.receiver, c.proposal, c.satisfies]).toEqual([ana.agentId, beto.agentId, p.id, need.id]);
    expect([e.fulfills, e.receiver]).toEqual([c.id, beto.agentId]);
    const betoFeed = { ...newFeedDoc(beto.agentId, 'c'), proposals: { [p.id]: p } };
    const anaFeed = { ...newFeedDoc(ana.agentId, 'c'), commitments: { [c.id]: c }, events: { [e.id]: e } };
    expect(readFeed(betoFeed).proposals).toEqual([p]);
    expect(readFeed(anaFeed).commitments).toEqual([c]);
    expect(readFeed(anaFeed).events).toEqual([e]);
  });

  it('Scenario: only the offer\'s author can commit, and nobody answers their own offer', () => {
    const p = createProposal(beto, offer, undefined, '', NOW);
    expect(() => createCommitment(beto, offer, p, NOW)).toThrow(RangeError);
    expect(() => createProposal(ana, offer, undefined, '', NOW)).toThrow(RangeError);
  });

  it('Scenario: altered or misplaced proposals and commitments are rejected with a reason', () => {
    const p = createProposal(beto, offer, need, '', NOW);
    const c = createCommitment(ana, offer, p, NOW);
    expect(checkProposal({ ...p, note: 'changed' }, beto.agentId)).toBe('error.badSignature');
    expect(checkProposal(p, ana.agentId)).toBe('error.wrongAuthor');
    expect(checkCommitment({ ...c, receiver: ana.agentId }, ana.agentId)).toBe('error.badSignature');
    expect(checkCommitment(c, beto.agentId)).toBe('error.wrongAuthor');
    expect(checkProposal('junk', beto.agentId)).toBe('error.notProposal');
    const feed = { ...newFeedDoc(beto.agentId, 'c'), proposals: { other: p } };
    expect(readFeed(feed).rejected.map((r) => r.reason)).toEqual(['error.idMismatch']);
  });
});
