import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createIdentity } from '../../../src/core/crypto/keys.ts';
import { checkDecline, correctHandOver, createCommitment, createDecline, createIntent, createProposal, newFeedDoc, readFeed, recordHandOver, setIntentStatus } from '../../../src/core/model/index.ts';
import { openRequests, requestsFor, stageOf, standingHandOver } from '../../../src/core/model/post-stage.ts';

// openspec/changes/core-loop/specs/offers-needs/spec.md
const NOW = 1_700_000_000_000;
const ana = createIdentity();
const helpers = [createIdentity(), createIdentity(), createIdentity(), createIdentity()];
const need = createIntent(ana, { kind: 'need', category: 'tools', title: 'Ladder', description: '' }, NOW);
const proposals = helpers.map((h, i) => createProposal(h, need, undefined, `note ${i}`, NOW + i));

describe('where a post and its requests stand', () => {
  it('Scenario: every request for a post is exactly one of pending, accepted or declined, and only pending ones of open posts are counted', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('none', 'accept', 'decline', 'both'), { minLength: 4, maxLength: 4 }), fc.boolean(), (answers, open) => {
        const post = open ? need : setIntentStatus(ana, need, 'withdrawn', NOW + 10);
        const commitments = proposals.flatMap((p, i) => (answers[i] === 'accept' || answers[i] === 'both' ? [createCommitment(ana, need, p, NOW + 20)] : []));
        const declines = proposals.flatMap((p, i) => (answers[i] === 'decline' || answers[i] === 'both' ? [createDecline(ana, need, p, NOW + 21)] : []));
        const a = { proposals, commitments, events: [], declines };
        const r = requestsFor(post, a);
        expect(r.pending.length + r.accepted.length + r.declined.length).toBe(proposals.length);
        // A promise once given wins over a later "no".
        expect(r.accepted.length).toBe(answers.filter((x) => x === 'accept' || x === 'both').length);
        expect(openRequests([post], a).length).toBe(open ? answers.filter((x) => x === 'none').length : 0);
        expect(stageOf(post, a)).toBe(!open ? 'withdrawn' : commitments.length ? 'promised' : 'active');
      }),
      { numRuns: 40 },
    );
  });

  it('Scenario: a hand-over taken back by undo no longer counts, and the mistaken record stays', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4 }), (rounds) => {
        // Given, undone, given again … : only the last uncorrected hand-over stands.
        let events = [recordHandOver(ana, need, undefined, '', NOW, undefined)];
        for (let i = 1; i < rounds; i++) {
          events = [...events, correctHandOver(ana, events.at(-1)!, NOW + 2 * i)];
          events = [...events, recordHandOver(ana, need, undefined, '', NOW + 2 * i + 1)];
        }
        expect(standingHandOver(need, events)).toBe(events.at(-1));
        const undone = [...events, correctHandOver(ana, events.at(-1)!, NOW + 100)];
        expect(standingHandOver(need, undone)).toBeUndefined();
        const feed = { ...newFeedDoc(ana.agentId, 'c'), events: Object.fromEntries(undone.map((e) => [e.id, e])) };
        expect(readFeed(feed).events).toHaveLength(undone.length);
      }),
      { numRuns: 10 },
    );
  });

  it('Scenario: only the post’s author can decline, and a forged decline is rejected', () => {
    const d = createDecline(ana, need, proposals[0], NOW);
    expect(checkDecline(d, ana.agentId)).toBeNull();
    expect(checkDecline(d, helpers[0].agentId)).toBe('error.wrongAuthor');
    expect(checkDecline({ ...d, proposal: proposals[1].id }, ana.agentId)).toBe('error.badSignature');
    expect(checkDecline('junk', ana.agentId)).toBe('error.notDecline');
    expect(() => createDecline(helpers[0], need, proposals[0], NOW)).toThrow(RangeError);
    expect(() => correctHandOver(helpers[0], recordHandOver(ana, need, undefined, '', NOW), NOW)).toThrow(RangeError);
  });

  it('Scenario: accepting help on a need makes the helper the provider and the need’s author the receiver', () => {
    const c = createCommitment(ana, need, proposals[0], NOW);
    expect([c.provider, c.receiver, c.satisfies]).toEqual([helpers[0].agentId, ana.agentId, need.id]);
    const feed = { ...newFeedDoc(ana.agentId, 'c'), commitments: { [c.id]: c } };
    expect(readFeed(feed).commitments).toEqual([c]);
  });
});
