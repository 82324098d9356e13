import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { EconomicEvent, Intent } from '../../../src/core/model/types.ts';
import { DAY } from '../../../agents/lib/time.ts';
import { audienceLookup } from '../../../agents/lib/visibility.ts';
import { insurrectionaryJoy } from '../../../agents/joy.ts';
import { NOW, event, makeInput, membersOf, need, worldArb } from '../../helpers/agents/world.ts';
import { agentPropertyScenarios } from '../../helpers/agents/property-scenarios.ts';

const NAMES = { viewer: 'Vi', ana: 'Ana', ben: 'Ben', cai: 'Cai', dee: 'Dee' };
const run = (records: (Intent | EconomicEvent)[], o = {}, joined: Record<string, number> = {}) =>
  insurrectionaryJoy.run(makeInput(membersOf(NAMES, records, joined), o));

/** `n` gifts from ana to ben and cai, one a day back from `from`; each is public through the need it satisfies. */
function gifts(n: number, from: number, prefix = 'g'): (Intent | EconomicEvent)[] {
  const out: (Intent | EconomicEvent)[] = [];
  for (let k = 0; k < n; k++) {
    const receiver = k % 2 === 0 ? 'ben' : 'cai';
    out.push(need(`${prefix}n${k}`, receiver, { status: 'fulfilled' }));
    out.push(event(`${prefix}e${k}`, 'ana', 'ana', receiver, from - (k * DAY) / 2, { satisfies: `${prefix}n${k}` }));
  }
  return out;
}

describe('InsurrectionaryJoy', () => {
  it('Scenario: a good week of gifts brings a celebration, counted without naming anyone', () => {
    const [p, ...rest] = run([...gifts(12, NOW - 1000), ...gifts(4, NOW - 8 * DAY, 'old')]);
    expect(rest).toEqual([]);
    expect(p).toMatchObject({ agent: 'InsurrectionaryJoy', kind: 'celebration' });
    expect(p.subjects).toEqual(['riverside', `window:${Math.floor(NOW / (7 * DAY))}`]);
    expect(p.summary).toBe('12 gifts changed hands in the last 7 days, among 3 people: time to celebrate together?');
    expect(p.explanation.map((f) => [f.key, f.text, f.weight])).toEqual([
      ['agents.joy.gifts', '12 gifts were completed in the last 7 days.', 0.5],
      ['agents.joy.growth', 'That is 12 against 4 in the 7 days before.', 0.3],
      ['agents.joy.people', '3 of 5 members gave or received.', 0.2],
    ]);
    // 0.5·12/20 + 0.3·1 + 0.2·3/5
    expect(p.score).toBe(0.72);
    expect(JSON.stringify(p)).not.toMatch(/Ana|Ben|Cai/);
  });

  it('Scenario: the giver’s and the receiver’s copy of one hand-over count once', () => {
    const both = gifts(10, NOW - 1000).flatMap((r): (Intent | EconomicEvent)[] =>
      r.type === 'event' ? [r, { ...r, id: `${r.id}b`, author: r.receiver as string }] : [r],
    );
    expect(run(both)).toHaveLength(1);
    expect(run(both)[0].summaryParams.gifts).toBe(10);
    expect(run(gifts(9, NOW - 1000))).toEqual([]);
  });

  it('Scenario: gifts the viewer may not see are not counted', () => {
    const records = gifts(10, NOW - 1000);
    expect(run(records, { canSee: (a: string, aud: string) => !(a === 'ana' && aud === 'public') })).toEqual([]);
    // An event whose intent is unknown counts as 'trusted'.
    const bare = records.filter((r) => r.type === 'event').map((e) => ({ ...(e as EconomicEvent), satisfies: undefined }));
    expect(run(bare)).toHaveLength(1);
    expect(run(bare, { canSee: (_: string, aud: string) => aud !== 'trusted' })).toEqual([]);
  });

  it('Scenario: crossing a milestone of gifts proposes marking the day', () => {
    const [p] = run([...gifts(3, NOW - 1000), ...gifts(24, NOW - 10 * DAY, 'old')]);
    expect(p).toMatchObject({ kind: 'milestone', subjects: ['riverside', 'milestone:25'], score: 0.7 });
    expect(p.summary).toBe('Riverside has now shared 25 gifts: mark the day with a gathering?');
  });

  it('Scenario: several newcomers bring a welcome gathering', () => {
    const joined = { ana: NOW - DAY, ben: NOW - 2 * DAY, cai: NOW - 3 * DAY };
    const [p] = run([], {}, joined);
    expect(p).toMatchObject({ kind: 'welcome-gathering', summary: '3 people joined recently: hold a welcome gathering?' });
    expect(run([], { settings: { minNewcomers: 4 } }, joined)).toEqual([]);
    expect(run([], { canSee: (a: string) => a !== 'cai' }, joined)).toEqual([]);
  });

  it('Scenario: the gift threshold comes from settings', () => {
    expect(run(gifts(5, NOW - 1000), { settings: { minGifts: 5 } })).toHaveLength(1);
    expect(run(gifts(5, NOW - 1000), { settings: { minGifts: 0 } })).toEqual([]); // out of range: default 10
  });

  it('Scenario: InsurrectionaryJoy counts no gifts with a budget of zero steps', () => {
    expect(run(gifts(12, NOW - 1000), { budget: 0 })).toEqual([]);
  });

  agentPropertyScenarios('InsurrectionaryJoy', insurrectionaryJoy, { hiddenRecordsHaveNoSay: false });
  it('Scenario: gifts the viewer cannot see have no say in InsurrectionaryJoy (property)', () => {
    fc.assert(
      fc.property(worldArb, ({ input }) => {
        const audienceOf = audienceLookup(input);
        const members = input.members.map((m) => ({ ...m, events: m.events.filter((e) => input.canSee(e.author, audienceOf(e.satisfies))) }));
        expect(insurrectionaryJoy.run({ ...input, members })).toEqual(insurrectionaryJoy.run(input));
      }),
    );
  });
});
