import { ENGLISH, say } from '../../../agents/lib/words.ts';
import { describe, expect, it } from 'vitest';
import { workParty } from '../../../agents/work-party.ts';
import { DAY, HOUR } from '../../../agents/lib/time.ts';
import { NOW, input, intent, member } from '../../helpers/agents/communities.ts';

const task = {
  id: 'n-beds', kind: 'need' as const, action: 'work' as const, name: 'Build raised beds', resourceConformsTo: 'garden',
  atLocation: 'centre', hasBeginning: NOW + 2 * DAY, hasEnd: NOW + 5 * DAY, resourceQuantity: { hasNumericalValue: 3, hasUnit: 'people' },
};
const work = (id: string, s: Partial<Parameters<typeof intent>[1]>) => ({ id, kind: 'offer' as const, action: 'work' as const, resourceConformsTo: 'garden', ...s });

function community() {
  return input([
    member('ana', { name: 'Ana', intents: [intent('ana', task), intent('ana', work('o-ana', {}))] }),
    member('ben', { name: 'Ben', intents: [intent('ben', work('o-ben', { atLocation: 'centre', hasBeginning: NOW + 3 * DAY, hasEnd: NOW + 3 * DAY + 6 * HOUR }))] }),
    member('cy', { name: 'Cy', intents: [intent('cy', work('o-cy', { resourceConformsTo: 'skills', atLocation: 'east', hasBeginning: NOW + 3 * DAY + HOUR, hasEnd: NOW + 4 * DAY }))] }),
    member('dee', { name: 'Dee', intents: [intent('dee', work('o-dee', { hasBeginning: NOW + 10 * DAY }))] }),
    member('eve', { name: 'Eve', intents: [intent('eve', work('o-eve', {}))] }),
    member('fay', { name: 'Fay', intents: [intent('fay', work('o-fay', { resourceConformsTo: 'tools' }))] }),
  ]);
}

describe('WorkPartyScheduler', () => {
  it('Scenario: the earliest slot when most helpers are free, in the task’s area, with skills and turnout explained', () => {
    const out = workParty.run(community());
    expect(out).toHaveLength(1);
    const p = out[0];
    expect(p.kind).toBe('work-party');
    expect(p.subjects).toEqual(['n-beds', 'o-ben', 'o-cy', 'o-eve']);
    expect(p.summary).toBe('Work party for "Build raised beds" on 2026-05-18 13:00 UTC in centre: 3 people are free then');
    expect(p.explanation.map((f) => [f.key, f.weight, f.text])).toEqual([
      ['agents.workParty.turnout', 0.5, '3 of the 3 people wanted are free for 3 hours from 2026-05-18 13:00 UTC'],
      ['agents.workParty.skills', 0.3, 'Skills in Garden: 2 offer it directly, the rest offer general help'],
      ['agents.workParty.location', 0.2, 'Place: centre; 1 of 3 helpers said they are there'],
      ['agents.workParty.helpers', undefined, 'Free then: Ben, Cy and Eve'],
      ['agents.workParty.asker', undefined, 'Asked for by Ana'],
    ]);
    expect(p.score).toBeCloseTo(0.5 + 0.3 * (2.5 / 3) + 0.2 * 0.33, 10);
    expect(p.expires).toBe(NOW + 3 * DAY + 4 * HOUR);
  });

  it('Scenario: too few free helpers means no work party', () => {
    const out = workParty.run({ ...community(), settings: { minHelpers: 4 } });
    expect(out).toEqual([]);
  });

  it('Scenario: with no stated area the party goes where most free helpers are', () => {
    const c = community();
    const members = c.members.map((m) => (m.agentId === 'ana' ? member('ana', { intents: [intent('ana', { ...task, atLocation: undefined })] }) : m));
    const out = workParty.run({ ...c, members });
    expect(say(out[0].summaryParams.place, ENGLISH)).toBe('centre');
  });

  it('Scenario: the asker’s own offer of work does not count as a helper, and the budget stops the search', () => {
    expect(workParty.run(community())[0].subjects).not.toContain('o-ana');
    expect(workParty.run({ ...community(), budget: 0 })).toEqual([]);
  });
});
