import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createIdentity } from '../../../src/core/crypto/keys.ts';
import type { Unsigned } from '../../../src/core/crypto/sign.ts';
import { checkDecisionRecord, createDecisionRecord, decisionState, verifyDecisionRecord, type DecisionDraft } from '../../../agents/governance-records.ts';
import { DAY } from '../../../agents/lib/time.ts';
import { NOW, consent, decisionsArb, draft, objection, outcome } from '../../helpers/agents/world.ts';

const d1 = draft({ id: 'd1', author: 'fay', discussionEnds: NOW + DAY });
const round1 = draft({ id: 'd1v2', decision: 'd1', author: 'fay', updated: NOW - DAY, round: 1, roundCloses: NOW + 2 * DAY, discussionEnds: NOW - 2 * DAY });
const on = { decision: 'd1', facilitator: 'fay' };

describe('decisionState', () => {
  it('Scenario: a draft is discussed until its discussion period ends, then awaits a consent round', () => {
    expect(decisionState([d1], NOW).get('fay/d1')?.phase).toBe('discussion');
    expect(decisionState([d1], NOW + DAY).get('fay/d1')?.phase).toBe('awaiting-round');
    const s = decisionState([d1], NOW).get('fay/d1');
    expect(s).toMatchObject({ decision: 'd1', facilitator: 'fay', round: 0, lastRound: 0, consents: [], objections: [] });
  });

  it('Scenario: a revised draft opens a consent round; each member’s latest answer counts', () => {
    const records = [
      d1,
      round1,
      consent({ id: 'c1', author: 'ana', ...on, created: NOW - 3 * 3_600_000 }),
      objection({ id: 'o1', author: 'ana', ...on, created: NOW - 4 * 3_600_000 }),
      objection({ id: 'o2', author: 'ben', ...on, reason: 'Needs a roof plan.' }),
      consent({ id: 'c3', author: 'cai', ...on, round: 2 }),
    ];
    const s = decisionState(records, NOW).get('fay/d1');
    expect(s?.phase).toBe('round-open');
    expect(s?.round).toBe(1);
    expect(s?.consents.map((p) => p.author)).toEqual(['ana']);
    expect(s?.objections).toEqual([{ id: 'o2', author: 'ben', created: NOW - DAY, text: 'Needs a roof plan.' }]);
    expect(decisionState(records, NOW + 2 * DAY).get('fay/d1')?.phase).toBe('round-closed');
  });

  it('Scenario: an answer dated after its round closed does not count', () => {
    const late = consent({ id: 'c9', author: 'ana', ...on, created: NOW + 3 * DAY });
    expect(decisionState([d1, round1, late], NOW + 4 * DAY).get('fay/d1')?.consents).toEqual([]);
  });

  it('Scenario: only the facilitator’s drafts and outcomes count', () => {
    const hijack = draft({ id: 'h1', decision: 'd1', author: 'gus', title: 'Something else', updated: NOW });
    const foreignOutcome = outcome({ id: 'out1', author: 'gus', decision: 'd1' });
    const states = decisionState([d1, hijack, foreignOutcome], NOW);
    expect(states.get('fay/d1')?.title).toBe('Shared tool shed');
    expect(states.get('fay/d1')?.phase).toBe('discussion');
    // gus's draft is his own decision, and his outcome concludes only that one.
    expect(states.get('gus/d1')?.phase).toBe('decided');
  });

  it('Scenario: a recorded outcome is final', () => {
    const done = outcome({ id: 'out1', author: 'fay', decision: 'd1', result: 'not-adopted', created: NOW - DAY });
    const later = outcome({ id: 'out2', author: 'fay', decision: 'd1', result: 'adopted', created: NOW });
    const s = decisionState([later, round1, done, d1], NOW).get('fay/d1');
    expect(s?.phase).toBe('decided');
    expect(s?.outcome?.result).toBe('not-adopted');
  });

  it('Scenario: malformed decision records are ignored', () => {
    const junk = [null, 3, 'x', { type: 'decision-draft' }, { ...d1, title: 7 }, { ...round1, round: 0 }, { ...d1, audience: 'everyone' }, { ...on, type: 'decision-consent' }];
    expect([...decisionState(junk, NOW).keys()]).toEqual([]);
    expect(checkDecisionRecord({ ...d1, title: 'x'.repeat(121) })).toBeNull();
    fc.assert(fc.property(fc.array(fc.anything()), (xs) => decisionState(xs, NOW) instanceof Map));
  });

  it('Scenario: the state does not depend on the order records arrive in (property)', () => {
    fc.assert(
      fc.property(decisionsArb, fc.integer({ min: NOW - 60 * DAY, max: NOW + 60 * DAY }), fc.infiniteStream(fc.nat()), (records, now, rnd) => {
        const shuffled = [...records];
        for (let i = shuffled.length - 1; i > 0; i--) {
          const j = rnd.next().value % (i + 1);
          [shuffled[i], shuffled[j]] = [shuffled[j], shuffled[i]];
        }
        expect(JSON.stringify([...decisionState(shuffled, now)])).toBe(JSON.stringify([...decisionState(records, now)]));
      }),
    );
  });

  it('Scenario: every state is consistent (property)', () => {
    fc.assert(
      fc.property(decisionsArb, fc.integer({ min: NOW - 60 * DAY, max: NOW + 60 * DAY }), (records, now) => {
        for (const s of decisionState(records, now).values()) {
          expect(s.phase === 'decided').toBe(s.outcome !== undefined);
          if (s.phase === 'round-open') expect(now).toBeLessThan(s.roundCloses as number);
          if (s.phase === 'discussion') expect(now).toBeLessThan(s.discussionEnds);
          if (s.round === 0) expect(s.consents.length + s.objections.length).toBe(0);
          const who = [...s.consents, ...s.objections].map((p) => p.author);
          expect(new Set(who).size).toBe(who.length);
          expect(s.round).toBeLessThanOrEqual(s.lastRound);
        }
      }),
    );
  });
});

describe('signed decision records', () => {
  it('Scenario: a decision record is signed by its author and checked against its feed', () => {
    const fay = createIdentity();
    const unsigned: Unsigned<DecisionDraft> = {
      type: 'decision-draft',
      id: 'd1',
      decision: 'd1',
      author: fay.agentId,
      audience: 'local',
      title: 'Shared tool shed',
      text: '',
      created: NOW,
      updated: NOW,
      discussionEnds: NOW + 7 * DAY,
    };
    const signed = createDecisionRecord<DecisionDraft>(fay, unsigned);
    expect(verifyDecisionRecord(signed, fay.agentId)).toEqual(signed);
    expect(verifyDecisionRecord({ ...signed, title: 'Something else' }, fay.agentId)).toBeNull();
    expect(verifyDecisionRecord(signed, createIdentity().agentId)).toBeNull();
    expect(() => createDecisionRecord(createIdentity(), unsigned)).toThrow(RangeError);
  });
});
