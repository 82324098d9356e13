import { describe, expect, it } from 'vitest';
import type { Intent } from '../../../src/core/model/types.ts';
import { counterPower } from '../../../agents/counter-power.ts';
import { DAY, HOUR } from '../../../agents/lib/time.ts';
import { NOW, makeInput, membersOf, need } from '../../helpers/agents/world.ts';
import { agentPropertyScenarios } from '../../helpers/agents/property-scenarios.ts';

const NAMES = { viewer: 'Vi', ana: 'Ana', ben: 'Ben', cai: 'Cai', dee: 'Dee', eli: 'Eli' };
const run = (records: Intent[], o = {}) => counterPower.run(makeInput(membersOf(NAMES, records), o));

const shelter = (id: string, author: string, created: number, o: Partial<Intent> = {}) =>
  need(id, author, { name: 'Somewhere to stay', resourceConformsTo: 'housing', atLocation: 'south', created, ...o });
/** Four people in 30 hours; the month before saw two housing needs. */
const burst = [
  shelter('s1', 'ana', NOW - 2 * HOUR),
  shelter('s2', 'ben', NOW - 10 * HOUR),
  shelter('s3', 'cai', NOW - 20 * HOUR, { status: 'fulfilled' }),
  shelter('s4', 'dee', NOW - 30 * HOUR, { atLocation: 'north' }),
];
const usual = [shelter('u1', 'eli', NOW - 10 * DAY, { status: 'fulfilled' }), shelter('u2', 'ana', NOW - 20 * DAY, { status: 'withdrawn' })];

describe('CounterPower', () => {
  it('Scenario: a burst of needs of one kind over the usual rate proposes a solidarity response', () => {
    const [p, ...rest] = run([...burst, ...usual]);
    expect(rest).toEqual([]);
    expect(p).toMatchObject({ agent: 'CounterPower', kind: 'solidarity', subjects: ['s1', 's2', 's3', 's4'], expires: NOW + 48 * HOUR });
    // expected = 2 needs × 48 h / 28 days ≈ 0.14, floored at 0.5: surge = 4 / 0.5 = 8.
    expect(p.summary).toBe('4 people needed Housing in the last 48 hours, 8× the usual: organise a response together?');
    expect(p.explanation.map((f) => [f.key, f.text, f.weight])).toEqual([
      ['agents.counterPower.surge', '4 needs now against about 0.14 usually in 48 hours.', 0.5],
      ['agents.counterPower.people', '4 different people are affected; 3 of their needs are still open.', 0.3],
      ['agents.counterPower.area', '75 % of them are in South Bank.', 0.2],
    ]);
    // 0.5·min(1, 8/6) + 0.3·4/8 + 0.2·0.75
    expect(p.score).toBe(0.8);
  });

  it('Scenario: the same number of needs is no burst where it is usual', () => {
    const steady = Array.from({ length: 60 }, (_, k) => shelter(`b${k}`, ['ana', 'ben', 'cai', 'dee', 'eli'][k % 5], NOW - 3 * DAY - k * 8 * HOUR));
    expect(run([...burst, ...steady])).toEqual([]);
  });

  it('Scenario: one person posting many needs is not a burst', () => {
    const alone = [1, 2, 3, 4, 5].map((h) => shelter(`a${h}`, 'ana', NOW - h * HOUR));
    expect(run(alone)).toEqual([]);
  });

  it('Scenario: hidden needs do not count, and settings tune the window and thresholds', () => {
    expect(run(burst, { canSee: (a: string) => a !== 'dee' })).toEqual([]);
    expect(run(burst, { settings: { burstHours: 12 } })).toEqual([]);
    expect(run(burst, { settings: { minPeople: 5 } })).toEqual([]);
    expect(run(burst, { settings: { minSurge: 20 } })).toEqual([]);
    expect(run(burst, { settings: { minSurge: 1000 } })).toHaveLength(1); // out of range: default 3
  });

  it('Scenario: CounterPower proposes nothing with a budget of zero steps', () => {
    expect(run(burst, { budget: 0 })).toEqual([]);
  });

  agentPropertyScenarios('CounterPower', counterPower, { hiddenRecordsHaveNoSay: true });
});
