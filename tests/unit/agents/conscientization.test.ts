import { describe, expect, it } from 'vitest';
import type { Intent } from '../../../src/core/model/types.ts';
import { conscientization } from '../../../agents/conscientization.ts';
import { contentWords } from '../../../agents/lib/text.ts';
import { DAY } from '../../../agents/lib/time.ts';
import { NOW, makeInput, membersOf, need } from '../../helpers/agents/world.ts';
import { agentPropertyScenarios } from '../../helpers/agents/property-scenarios.ts';

const NAMES = { viewer: 'Vi', ana: 'Ana', ben: 'Ben', cai: 'Cai', dee: 'Dee', eli: 'Eli' };
const run = (records: Intent[], o = {}) => conscientization.run(makeInput(membersOf(NAMES, records), o));
const WEEK = 7 * DAY;

const housing = [
  need('h1', 'ana', { name: 'Help with rent this month', created: NOW - 1 * WEEK, status: 'fulfilled' }),
  need('h2', 'ben', { name: 'Landlord will not fix the mould', created: NOW - 3 * WEEK }),
  need('h3', 'cai', { name: 'Facing eviction, need advice', created: NOW - 5 * WEEK, status: 'withdrawn' }),
  need('h4', 'dee', { name: 'Deposit never returned', created: NOW - 2 * DAY }),
];

describe('Conscientization', () => {
  it('Scenario: a theme raised by several people over several weeks becomes a learning circle', () => {
    const [p, ...rest] = run([...housing, need('x1', 'eli', { name: 'Guitar strings' })]);
    expect(rest).toEqual([]);
    expect(p).toMatchObject({ agent: 'Conscientization', kind: 'learning-circle', subjects: ['theme:housing'] });
    expect(p.summary).toBe('4 people have raised needs about housing and tenants’ rights in 4 different weeks: start a learning circle on it?');
    expect(p.explanation.map((f) => [f.key, f.text, f.weight])).toEqual([
      ['agents.conscientization.people', '4 different people raised it in the last 90 days.', 0.6],
      ['agents.conscientization.recurrence', 'It came up in 4 different weeks: a lasting problem, not a one-off.', 0.4],
      ['agents.conscientization.examples', 'For example: “Deposit never returned”, “Help with rent this month” and “Landlord will not fix the mould”.', undefined],
    ]);
    // 0.6·4/8 + 0.4·4/4
    expect(p.score).toBe(0.7);
  });

  it('Scenario: a word outside the theme table can be a theme of its own', () => {
    const bikes = ['ana', 'ben', 'cai', 'dee'].map((a, k) => need(`b${k}`, a, { name: k % 2 ? 'Bikes for the kids' : 'A bike to get to work', created: NOW - k * WEEK }));
    const [p] = run(bikes);
    expect(p.subjects).toEqual(['word:bike']);
    expect(p.summaryParams.topic).toBe('bike');
  });

  it('Scenario: a one-week burst, too few people or old needs are not a recurring theme', () => {
    const burst = housing.map((n) => ({ ...n, created: NOW - DAY }));
    expect(run(burst)).toEqual([]);
    expect(run(housing.slice(0, 3))).toEqual([]);
    expect(run(housing, { now: NOW + 120 * DAY })).toEqual([]);
    expect(run(housing, { settings: { minPeople: 5 } })).toEqual([]);
  });

  it('Scenario: overlapping themes are merged, so one problem gives one circle', () => {
    // Every need mentions rent and a heating bill: both themes cover the same needs.
    const both = ['ana', 'ben', 'cai', 'dee'].map((a, k) => need(`r${k}`, a, { name: 'Rent and heating bill', created: NOW - k * WEEK }));
    const out = run(both);
    expect(out).toHaveLength(1);
  });

  it('Scenario: needs the viewer may not see do not count', () => {
    expect(run(housing, { canSee: (a: string) => a !== 'dee' })).toEqual([]);
  });

  it('Scenario: words are compared after a light plural strip, without stop words', () => {
    expect(contentWords('Need tomatoes, bikes and groceries for the classes')).toEqual(['bike', 'class', 'grocery', 'tomato']);
  });

  it('Scenario: Conscientization proposes nothing with a budget of zero steps', () => {
    expect(run(housing, { budget: 0 })).toEqual([]);
  });

  agentPropertyScenarios('Conscientization', conscientization, { hiddenRecordsHaveNoSay: true });
});
