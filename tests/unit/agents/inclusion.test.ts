import { ENGLISH, say } from '../../../agents/lib/words.ts';
import { describe, expect, it } from 'vitest';
import { DAY } from '../../../agents/lib/time.ts';
import { radicalInclusion } from '../../../agents/inclusion.ts';
import { NOW, commitment, event, makeInput, membersOf, need, offer, response, vouch } from '../../helpers/agents/world.ts';
import { agentPropertyScenarios } from '../../helpers/agents/property-scenarios.ts';

const NAMES = { viewer: 'Vi', dee: 'Dee', eli: 'Eli', fay: 'Fay', gus: 'Gus', hal: 'Hal' };
type Rec = Parameters<typeof membersOf>[1][number];
const run = (records: Rec[], o = {}, joined: Record<string, number> = {}, names: Record<string, string> = NAMES) =>
  radicalInclusion.run(makeInput(membersOf(names, records, joined), o));

const coat = need('n1', 'dee', { name: 'Winter coat', resourceConformsTo: 'food', atLocation: 'south', created: NOW - 9 * DAY });
const helpers: Rec[] = [
  offer('o1', 'eli', { resourceConformsTo: 'food' }),
  offer('o2', 'fay', { resourceConformsTo: 'food', status: 'fulfilled' }),
  vouch('v1', 'gus', 'dee'),
  offer('o3', 'hal', { resourceConformsTo: 'tools', atLocation: 'south' }),
];

describe('RadicalInclusion', () => {
  it('Scenario: a need waiting long without a reply gets kind suggestions of who might reach out', () => {
    const [p, ...rest] = run([coat, ...helpers]);
    expect(rest).toEqual([]);
    expect(p).toMatchObject({ agent: 'RadicalInclusion', kind: 'reach-out-need', subjects: ['n1'] });
    expect(p.summary).toBe('Dee asked for “Winter coat” 9 days ago and is still waiting: Eli, Fay and Gus might reach out.');
    expect(p.explanation.map((f) => [f.key, f.text, f.weight])).toEqual([
      ['agents.inclusion.waited', '“Winter coat” has waited 9 days without a reply.', 0.6],
      ['agents.inclusion.helpers', '3 members could help.', 0.25],
      ['agents.inclusion.known', 'Dee is known to others here.', 0.15],
      ['agents.inclusion.reason.offers', 'Offers Food now: Eli.', undefined],
      ['agents.inclusion.reason.offeredBefore', 'Offered Food before: Fay.', undefined],
      ['agents.inclusion.reason.knows', 'Has vouched for Dee: Gus.', undefined],
    ]);
    // 0.6·9/15 + 0.25·1 + 0
    expect(p.score).toBe(0.61);
    expect(JSON.stringify(p)).not.toMatch(/ignored|neglect|fail|nobody cares/i);
  });

  it('Scenario: the viewer is suggested as “you”, and nearby members help when nobody else can', () => {
    const [p] = run([coat, offer('o1', 'viewer', { resourceConformsTo: 'food' })]);
    expect(p.summary).toBe('Dee asked for “Winter coat” 9 days ago and is still waiting: you might reach out.');
    expect(p.explanation.find((f) => f.key === 'agents.inclusion.reason.offers')?.text).toBe('Offers Food now: you.');
    const [q] = run([coat, helpers[3]]);
    expect(say(q.summaryParams.helpers, ENGLISH)).toBe('Hal');
    const [r] = run([coat]);
    expect(r.summary).toBe('Dee asked for “Winter coat” 9 days ago and is still waiting: could anyone reach out?');
    expect(r.explanation[2]).toMatchObject({ key: 'agents.inclusion.unvouched', text: 'Dee is not yet vouched for by anyone, so fewer people may see their posts.' });
    expect(r.explanation).toHaveLength(3);
  });

  it('Scenario: answered, recent, hidden or own needs are not raised', () => {
    expect(run([coat, response('p1', 'eli', 'n1')])).toEqual([]);
    expect(run([coat, commitment('c1', 'eli', 'eli', 'dee', { satisfies: 'n1' })])).toEqual([]);
    expect(run([coat, event('e1', 'eli', 'eli', 'dee', NOW - DAY, { satisfies: 'n1' })])).toEqual([]);
    expect(run([{ ...coat, created: NOW - 2 * DAY }])).toEqual([]);
    expect(run([coat], { canSee: (a: string) => a !== 'dee' })).toEqual([]);
    expect(run([{ ...coat, author: 'viewer', receiver: 'viewer' }])).toEqual([]);
    expect(run([coat], { settings: { waitDays: 10 } })).toEqual([]);
  });

  it('Scenario: a response the viewer cannot see does not count as a reply', () => {
    const trustedCoat = { ...coat, audience: 'trusted' as const };
    const hideEli = { canSee: (a: string, aud: string) => !(a === 'eli' && aud === 'trusted') };
    expect(run([trustedCoat, response('p1', 'eli', 'n1')], hideEli)).toHaveLength(1);
    expect(run([trustedCoat, response('p1', 'fay', 'n1')], hideEli)).toEqual([]);
  });

  it('Scenario: a helper the viewer may not see is not named', () => {
    const [p] = run([coat, ...helpers], { canSee: (a: string, aud: string) => !(a === 'eli' && aud === 'local') });
    expect(say(p.summaryParams.helpers, ENGLISH)).toBe('Fay, Gus and Hal');
  });

  describe('newcomers', () => {
    const names = { viewer: 'Vi', ana: 'Ana', ben: 'Ben', neo: 'Neo' };
    const web: Rec[] = [vouch('v1', 'viewer', 'ana'), vouch('v2', 'ana', 'viewer'), vouch('v3', 'ana', 'ben'), offer('o1', 'ana', { atLocation: 'north' })];
    const neoPost = need('n9', 'neo', { name: 'Seeds', atLocation: 'north', created: NOW - DAY });
    const joined = { neo: NOW - 6 * DAY };

    it('Scenario: a newcomer nobody has vouched for gets a welcome from members trusted to vouch', () => {
      const [p, ...rest] = run([...web, neoPost], {}, joined, names);
      expect(rest).toEqual([]);
      expect(p).toMatchObject({ kind: 'welcome-newcomer', subjects: ['neo'], expires: NOW + 24 * DAY });
      expect(p.summary).toBe('Neo joined 6 days ago and has not met anyone who could vouch for them yet: Ana and you might say hello.');
      // Ben (0.64 from the viewer) is below the vouch threshold 0.7.
      expect(p.explanation.map((f) => [f.text, f.weight])).toEqual([
        ['Neo joined 6 days ago.', 0.5],
        ['2 members trusted to vouch could meet them.', 0.3],
        ['Neo has already posted.', 0.2],
        ['Posts in the same area: Ana.', undefined],
      ]);
    });

    it('Scenario: vouched, settling-in, long-standing or hidden members are not raised as newcomers', () => {
      expect(run([...web, vouch('v4', 'ben', 'neo')], {}, joined, names)).toEqual([]);
      expect(run(web, {}, { neo: NOW - DAY }, names)).toEqual([]);
      expect(run(web, {}, { neo: NOW - 40 * DAY }, names)).toEqual([]);
      expect(run(web, { canSee: (a: string) => a !== 'neo' }, joined, names)).toEqual([]);
      // Past dealings count only where the viewer may see them (an event with no known intent is 'trusted').
      const dealt = [...web, vouch('v5', 'viewer', 'ben'), event('e1', 'ben', 'ben', 'neo', NOW - DAY)];
      const shared = (out: ReturnType<typeof run>) => out[0].explanation.find((f) => f.key === 'agents.inclusion.reason.dealt')?.text;
      expect(shared(run(dealt, {}, joined, names))).toBe('Has shared with Neo before: Ben.');
      expect(shared(run(dealt, { canSee: (a: string, aud: string) => !(a === 'ben' && aud === 'trusted') }, joined, names))).toBeUndefined();
      // An expired vouch does not count.
      expect(run([...web, vouch('v4', 'ben', 'neo', { expires: NOW - DAY })], {}, joined, names)).toHaveLength(1);
    });
  });

  it('Scenario: RadicalInclusion proposes nothing with a budget of zero steps', () => {
    expect(run([coat, ...helpers], { budget: 0 })).toEqual([]);
  });

  agentPropertyScenarios('RadicalInclusion', radicalInclusion, { hiddenRecordsHaveNoSay: false });
});
