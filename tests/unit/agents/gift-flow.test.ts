import { describe, expect, it } from 'vitest';
import { giftFlow, weekStart } from '../../../agents/gift-flow.ts';
import { DAY } from '../../../agents/lib/time.ts';
import { NOW, event, input, intent, member, response } from '../../helpers/agents/communities.ts';

const need = (id: string, daysAgo: number, cat = 'clothing') => ({ id, kind: 'need' as const, name: `Need ${id}`, resourceConformsTo: cat, created: NOW - daysAgo * DAY });

function community() {
  return input([
    member('ana', {
      name: 'Ana',
      intents: [intent('ana', { id: 'o-coat', kind: 'offer', name: 'Coat', resourceConformsTo: 'clothing', created: NOW - 40 * DAY })],
      events: [
        event('ana', { id: 'e1', provider: 'ana', receiver: 'ben', resourceConformsTo: 'clothing', hasPointInTime: NOW - 3 * DAY }),
        event('ana', { id: 'e2', provider: 'ana', receiver: 'cy', resourceConformsTo: 'food', hasPointInTime: NOW - 40 * DAY }),
      ],
    }),
    member('ben', { name: 'Ben', intents: [intent('ben', need('n-old', 20)), intent('ben', need('n-new', 1)), intent('ben', need('n-food', 6, 'food'))] }),
    member('cy', { name: 'Cy', intents: [intent('cy', need('n-answered', 25))], events: [event('cy', { id: 'e3', provider: 'cy', receiver: 'ana', resourceConformsTo: 'tools', hasPointInTime: NOW - DAY })] }),
    member('dee', { name: 'Dee', proposals: [response('dee', 'r1', 'n-answered')] }),
  ]);
}

describe('GiftFlow', () => {
  it('Scenario: the flow summary is counts only: hand-overs, givers, receivers, waiting needs and stuck kinds', () => {
    const s = giftFlow.run(community()).find((p) => p.kind === 'flow-summary');
    expect(s?.subjects).toEqual(['community:c1', 'week:2026-05-11']);
    // n-new (a day old) waits too: only the nudges wait minWaitDays, the count does not.
    expect(s?.summary).toBe('In the last 30 days: 2 hand-overs recorded; 3 needs are waiting, 1 with no matching offer');
    expect(s?.explanation.map((f) => f.text)).toEqual([
      '2 people gave something',
      '2 people received something',
      '4 needs are open',
      'Needs with no open offer of their kind: Food',
    ]);
    for (const f of s?.explanation ?? []) expect(f.text).not.toMatch(/Ana|Ben|Cy|Dee/);
  });

  it('Scenario: two fresh needs with no matching offer are counted as waiting, not as 0', () => {
    const fresh = input([member('ben', { name: 'Ben', intents: [intent('ben', need('n1', 0.1, 'food')), intent('ben', need('n2', 0.2, 'tools'))] })]);
    const s = giftFlow.run(fresh).find((p) => p.kind === 'flow-summary');
    expect(s?.summary).toBe('In the last 30 days: 0 hand-overs recorded; 2 needs are waiting, 2 with no matching offer');
    expect(s?.explanation.at(-1)?.text).toBe('Needs with no open offer of their kind: Food and Tools');
  });

  it('Scenario: nudges go to the needs that waited longest with no answer, and name no one who did not answer', () => {
    const nudges = giftFlow.run(community()).filter((p) => p.kind === 'nudge');
    expect(nudges.map((p) => p.subjects)).toEqual([['n-old'], ['n-food']]);
    const old = nudges[0];
    expect(old.summary).toBe('"Need n-old" (Ben) has waited 20 days with no answer: share it again or ask around?');
    expect(old.explanation.map((f) => [f.key, f.weight, f.text])).toEqual([
      ['agents.giftFlow.nudge.waiting', 0.7, 'Waiting 20 days, no response or commitment yet'],
      ['agents.giftFlow.nudge.reach', 0.3, '1 open offers and 1 recent givers in Clothing could be asked'],
    ]);
    expect(old.score).toBeCloseTo(0.7 * (20 / 30) + 0.3 * (2 / 3), 10);
  });

  it('Scenario: the nudge cap keeps the longest-waiting needs; the budget stops early', () => {
    expect(giftFlow.run({ ...community(), settings: { maxNudges: 1 } }).filter((p) => p.kind === 'nudge').map((p) => p.subjects[0])).toEqual(['n-old']);
    expect(giftFlow.run({ ...community(), budget: 0 })).toEqual([]);
  });

  it('Scenario: one flow summary per week, whose id changes with the week', () => {
    expect(new Date(weekStart(NOW)).toISOString()).toBe('2026-05-11T00:00:00.000Z');
    const a = giftFlow.run(community()).find((p) => p.kind === 'flow-summary');
    const b = giftFlow.run({ ...community(), now: NOW + 7 * DAY }).find((p) => p.kind === 'flow-summary');
    expect(a?.id).not.toBe(b?.id);
  });
});
