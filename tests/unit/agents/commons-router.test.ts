import { describe, expect, it } from 'vitest';
import { commonsRouter } from '../../../agents/commons-router.ts';
import type { Intent } from '../../../src/core/model/types.ts';
import { DAY } from '../../../agents/lib/time.ts';
import { NOW, event, gateHiding, input, intent, member } from '../../helpers/agents/communities.ts';

const lend = (id: string, name: string, area: string) => ({ id, kind: 'offer' as const, action: 'use' as Intent['action'], name, resourceConformsTo: 'tools', atLocation: area });
const borrow = (id: string, area: string, created: number) => ({ id, kind: 'need' as const, action: 'use' as const, name: 'Borrow a tool', resourceConformsTo: 'tools', atLocation: area, created });
const used = (k: number) => event('ben', { id: `u${k}`, action: 'use', receiver: 'ben', provider: 'ana', resourceConformsTo: 'tools', hasPointInTime: NOW - (k + 1) * DAY });

function community(resources = [lend('o-ladder', 'Ladder', 'north')]) {
  return input([
    member('ana', { name: 'Ana', intents: resources.map((r) => intent('ana', r)) }),
    member('ben', { name: 'Ben', intents: [intent('ben', borrow('n-ben', 'north', NOW - 10 * DAY))], events: [used(0), used(1), used(2)] }),
    member('cy', { name: 'Cy', intents: [intent('cy', borrow('n-cy', 'south', NOW - 7 * DAY))] }),
  ]);
}

describe('CommonsRouter', () => {
  it('Scenario: a shared ladder goes next to the requester who has used tools least, with fairness explained', () => {
    const out = commonsRouter.run(community());
    expect(out).toHaveLength(1);
    const p = out[0];
    expect(p.kind).toBe('route');
    expect(p.subjects).toEqual(['o-ladder', 'n-cy']);
    expect(p.score).toBeCloseTo(0.5 + 0.3 * 0.5 + 0, 10);
    expect(p.summary).toBe('"Ladder" (held by Ana) could go next to Cy, who asked for "Borrow a tool"');
    expect(p.explanation.map((f) => [f.key, f.weight, f.text])).toEqual([
      ['agents.commonsRouter.fairness', 0.5, 'Cy borrowed Tools 0 times in the last 90 days'],
      ['agents.commonsRouter.waiting', 0.3, 'Asked 7 days ago'],
      ['agents.commonsRouter.location.different', 0.2, 'The resource is in another area'],
      ['agents.commonsRouter.others', undefined, '1 other requests for Tools are waiting'],
    ]);
  });

  it('Scenario: two resources go to two different requesters', () => {
    const out = commonsRouter.run(community([lend('o-ladder', 'Ladder', 'north'), lend('o-drill', 'Drill', 'north')]));
    expect(out.map((p) => p.subjects[1]).sort()).toEqual(['n-ben', 'n-cy']);
    expect(out.find((p) => p.subjects[1] === 'n-ben')?.explanation[0].text).toBe('Ben borrowed Tools 3 times in the last 90 days');
  });

  it('Scenario: usage the viewer may not see does not count against anyone', () => {
    const out = commonsRouter.run({ ...community(), canSee: gateHiding([['ben', 'trusted']]) });
    // Ben's three uses are hidden: he now looks unserved and has waited longer, and is in the ladder's area.
    expect(out[0].subjects).toEqual(['o-ladder', 'n-ben']);
    expect(out[0].explanation[0].params.uses).toBe(0);
  });

  it('Scenario: gifts (transfer) are not routed, a holder is not routed their own resource, and the budget stops the scan', () => {
    const c = community([{ ...lend('o-ladder', 'Ladder', 'north'), action: 'transfer' as const }]);
    expect(commonsRouter.run(c)).toEqual([]);
    const own = input([member('ana', { intents: [intent('ana', lend('o', 'Ladder', 'north')), intent('ana', borrow('n', 'north', NOW - DAY))] })]);
    expect(commonsRouter.run(own)).toEqual([]);
    expect(commonsRouter.run({ ...community(), budget: 0 })).toEqual([]);
  });
});
