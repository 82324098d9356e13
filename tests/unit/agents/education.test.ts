import { ENGLISH, say } from '../../../agents/lib/words.ts';
import { describe, expect, it } from 'vitest';
import { educationPathfinder } from '../../../agents/education.ts';
import { DAY } from '../../../agents/lib/time.ts';
import { NOW, makeInput, membersOf, need, offer } from '../../helpers/agents/world.ts';
import { agentPropertyScenarios } from '../../helpers/agents/property-scenarios.ts';
import type { Intent } from '../../../src/core/model/types.ts';

const NAMES = { viewer: 'Vi', ana: 'Ana', ben: 'Ben', cai: 'Cai', dee: 'Dee' };
const run = (records: Intent[], o = {}) => educationPathfinder.run(makeInput(membersOf(NAMES, records), o));

const teach = offer('o1', 'ana', { name: 'Bike repair', action: 'work', resourceConformsTo: 'bikes', atLocation: 'north' });
const ben = need('n1', 'ben', { name: 'Learn to repair my bike', resourceConformsTo: 'bikes', atLocation: 'north' });
const cai = need('n2', 'cai', { name: 'Bike repair lessons', resourceConformsTo: 'skills', atLocation: 'south' });

describe('EducationPathfinder', () => {
  it('Scenario: a skill offer meets the people asking to learn it', () => {
    const [p, ...rest] = run([teach, ben, cai]);
    expect(rest).toEqual([]);
    expect(p).toMatchObject({ agent: 'EducationPathfinder', kind: 'skill-share', subjects: ['o1', 'n1', 'n2'] });
    expect(p.summary).toBe('Ana could share “Bike repair” with Ben and Cai.');
    expect(p.explanation.map((f) => [f.key, f.text, f.weight])).toEqual([
      ['agents.education.topic', 'What they want to learn matches “Bike repair” (100 % of the words).', 0.6],
      ['agents.education.area', '1 of 2 learners are in North Bank, where Ana is.', 0.25],
      ['agents.education.group', '2 people want to learn it (a group of 4 is ideal).', 0.15],
    ]);
    // 0.6·1 + 0.25·0.5 + 0.15·0.5
    expect(p.score).toBe(0.8);
  });

  it('Scenario: needs that do not ask to learn, or share no topic word, are not learners', () => {
    const fix = need('n3', 'dee', { name: 'Fix my bike please', resourceConformsTo: 'bikes' });
    const guitar = need('n4', 'dee', { name: 'Learn guitar', resourceConformsTo: 'skills' });
    expect(run([teach, fix, guitar])).toEqual([]);
  });

  it('Scenario: an offer in a skills category teaches even without action work, and nobody teaches themselves', () => {
    const guitar = offer('o2', 'dee', { name: 'Guitar for beginners', resourceConformsTo: 'skills' });
    const learner = need('n5', 'ben', { name: 'Guitar lessons' });
    const self = need('n6', 'dee', { name: 'Learn guitar chords' });
    const [p, ...rest] = run([guitar, learner, self]);
    expect(rest).toEqual([]);
    expect(p.subjects).toEqual(['o2', 'n5']);
    // A community may name its own skills categories; then 'skills' alone no longer makes an offer a teaching one.
    expect(run([guitar, learner], { settings: { skillCategories: ['lessons'] } })).toEqual([]);
  });

  it('Scenario: each person counts once, and the group is capped', () => {
    const more = ['n7', 'n8', 'n9'].map((id, k) => need(id, ['ben', 'cai', 'dee'][k], { name: 'Bike repair class' }));
    const [p] = run([teach, ben, cai, ...more], { settings: { maxLearners: 2 } });
    expect(p.subjects).toHaveLength(3);
    expect(new Set(String(say(p.summaryParams.people, ENGLISH)).split(/, | and /)).size).toBe(2);
  });

  it('Scenario: withdrawn, expired or hidden intents are left out', () => {
    expect(run([teach, { ...ben, status: 'withdrawn' }, { ...cai, expires: NOW - DAY }])).toEqual([]);
    expect(run([teach, ben], { canSee: (a: string) => a !== 'ben' })).toEqual([]);
  });

  it('Scenario: weights come from settings and are normalised', () => {
    const [p] = run([teach, ben, cai], { settings: { 'weight.topic': 1, 'weight.area': 0, 'weight.group': 0 } });
    expect(p.score).toBe(1);
    expect(p.explanation[0].weight).toBe(1);
    const [q] = run([teach, ben, cai], { settings: { 'weight.topic': -3 } });
    expect(q.explanation[0].weight).toBe(0.6);
  });

  it('Scenario: EducationPathfinder proposes nothing with a budget of zero steps', () => {
    expect(run([teach, ben], { budget: 0 })).toEqual([]);
  });

  agentPropertyScenarios('EducationPathfinder', educationPathfinder, { hiddenRecordsHaveNoSay: true });
});
