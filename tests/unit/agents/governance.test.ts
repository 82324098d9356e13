import { describe, expect, it } from 'vitest';
import { governanceCircle } from '../../../agents/governance.ts';
import { DAY, HOUR } from '../../../agents/lib/time.ts';
import { NOW, consent, draft, makeInput, membersOf, objection, outcome } from '../../helpers/agents/world.ts';
import { agentPropertyScenarios } from '../../helpers/agents/property-scenarios.ts';
import type { DecisionRecord } from '../../../agents/governance-records.ts';

const NAMES = { viewer: 'Vi', fay: 'Fay', ana: 'Ana', ben: 'Ben' };
const on = { decision: 'd1', facilitator: 'fay' };
const d1 = draft({ id: 'd1', author: 'fay', created: NOW - 10 * DAY, discussionEnds: NOW - 3 * DAY });
const round = (closes: number, n = 1) =>
  draft({ id: `d1r${n}`, decision: 'd1', author: 'fay', updated: NOW - 2 * DAY + n, round: n, roundCloses: closes, discussionEnds: NOW - 3 * DAY });
const run = (records: DecisionRecord[], viewer: string, o = {}) => governanceCircle.run(makeInput(membersOf(NAMES, records), { viewer, ...o }));

describe('GovernanceCircle', () => {
  it('Scenario: the facilitator is asked to open a consent round when the discussion has ended', () => {
    const [p, ...rest] = run([d1], 'fay');
    expect(rest).toEqual([]);
    expect(p).toMatchObject({ agent: 'GovernanceCircle', kind: 'open-consent-round', subjects: ['fay/d1', 'round:1'] });
    expect(p.summary).toBe('The discussion of “Shared tool shed” has ended: open consent round 1?');
    expect(p.explanation.map((f) => f.key)).toEqual(['agents.governance.discussionEnded', 'agents.governance.youFacilitate']);
    expect(p.explanation[0].text).toBe('The discussion period ended 3 days ago.');
    // Others are not asked to do the facilitator's step, and nothing is proposed during the discussion.
    expect(run([d1], 'ana')).toEqual([]);
    expect(run([draft({ id: 'd1', author: 'fay', discussionEnds: NOW + DAY })], 'fay')).toEqual([]);
  });

  it('Scenario: members who have not answered are reminded shortly before a round closes', () => {
    const records = [d1, round(NOW + 5 * HOUR), consent({ id: 'c1', author: 'ana', ...on })];
    const [p] = run(records, 'ben');
    expect(p).toMatchObject({ kind: 'consent-reminder', subjects: ['fay/d1', 'round:1'], expires: NOW + 5 * HOUR });
    expect(p.summary).toBe('Consent round 1 on “Shared tool shed” closes in 5 hours: consent or object?');
    expect(p.explanation.map((f) => f.text)).toEqual(['The round closes in 5 hours.', 'You have not answered this round yet.', 'Answers so far: 1 consenting, 0 objecting.']);
    expect(run(records, 'ana')).toEqual([]); // already answered
    expect(run([d1, round(NOW + 3 * DAY)], 'ben')).toEqual([]); // not closing soon
    expect(run([d1, round(NOW + 3 * DAY)], 'ben', { settings: { remindHours: 96 } })).toHaveLength(1);
  });

  it('Scenario: the facilitator is told of objections while the round is open', () => {
    const records = [d1, round(NOW + 2 * DAY), objection({ id: 'o1', author: 'ben', ...on })];
    const [p] = run(records, 'fay');
    expect(p.kind).toBe('address-objections');
    expect(p.summary).toBe('Ben raised an objection to “Shared tool shed”: talk it through before the round closes?');
  });

  it('Scenario: when a round has closed the facilitator is asked to record the outcome the answers suggest', () => {
    const closed = round(NOW - HOUR);
    const yes = ['ana', 'ben', 'viewer'].map((a, k) => consent({ id: `c${k}`, author: a, ...on, created: NOW - DAY }));
    const [adopt] = run([d1, closed, ...yes], 'fay');
    expect(adopt).toMatchObject({ kind: 'record-outcome', summaryKey: 'agents.governance.outcome.adopted', subjects: ['fay/d1', 'round:1'] });
    expect(adopt.summary).toBe('Round 1 on “Shared tool shed” closed with 3 consents and no objections: record it as adopted?');
    const [few] = run([d1, closed, ...yes.slice(0, 2)], 'fay');
    expect(few.summaryKey).toBe('agents.governance.outcome.no-quorum');
    const [revise] = run([d1, closed, ...yes, objection({ id: 'o1', author: 'ana', ...on, created: NOW - HOUR - 1 })], 'fay');
    expect(revise.summaryKey).toBe('agents.governance.outcome.revise');
    expect(revise.explanation.find((f) => f.key === 'agents.governance.objectionsCount')?.text).toBe('Objecting: 1.');
    expect(run([d1, closed, ...yes], 'fay', { settings: { quorum: 4 } })[0].summaryKey).toBe('agents.governance.outcome.no-quorum');
    expect(run([d1, closed, ...yes, outcome({ id: 'out', author: 'fay', decision: 'd1' })], 'fay')).toEqual([]);
  });

  it('Scenario: a decision the viewer may not see is never proposed about', () => {
    const hidden = { canSee: (a: string, aud: string) => !(a === 'fay' && aud === 'trusted') };
    const secret = draft({ id: 'd1', author: 'fay', audience: 'trusted' });
    expect(run([secret], 'fay', hidden)).toEqual([]);
  });

  it('Scenario: a reminder window out of range falls back to its default', () => {
    const records = [d1, round(NOW + 5 * HOUR)];
    for (const remindHours of [-1, 0, Number.NaN, 'x', 10_000]) expect(run(records, 'ben', { settings: { remindHours } })).toHaveLength(1);
  });

  it('Scenario: GovernanceCircle proposes nothing with a budget of zero steps', () => {
    expect(run([d1], 'fay', { budget: 0 })).toEqual([]);
  });

  agentPropertyScenarios('GovernanceCircle', governanceCircle, { hiddenRecordsHaveNoSay: true });
});
