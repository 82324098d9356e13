import { describe, expect, it } from 'vitest';
import type { Intent } from '../../../src/core/model/types.ts';
import { conquestOfBread } from '../../../agents/conquest-of-bread.ts';
import { DAY } from '../../../agents/lib/time.ts';
import { NOW, makeInput, membersOf, need, offer } from '../../helpers/agents/world.ts';
import { agentPropertyScenarios } from '../../helpers/agents/property-scenarios.ts';

const NAMES = { viewer: 'Vi', ana: 'Ana', ben: 'Ben', cai: 'Cai', dee: 'Dee', eli: 'Eli' };
const run = (records: Intent[], o = {}) => conquestOfBread.run(makeInput(membersOf(NAMES, records), o));
const flour = (id: string, author: string, kg: number, o: Partial<Intent> = {}) =>
  need(id, author, { name: 'Flour', resourceConformsTo: 'food', resourceQuantity: { hasNumericalValue: kg, hasUnit: 'kg' }, atLocation: 'north', ...o });

describe('ConquestOfBread', () => {
  it('Scenario: many people needing the same goods get a bulk pool', () => {
    const needs = [flour('n1', 'ana', 2), flour('n2', 'ben', 5), flour('n3', 'cai', 3, { atLocation: 'south' })];
    const [p, ...rest] = run([...needs, offer('o1', 'dee', { resourceConformsTo: 'food' })]);
    expect(rest).toEqual([]);
    expect(p).toMatchObject({ agent: 'ConquestOfBread', kind: 'bulk-pool', subjects: ['n1', 'n2', 'n3'] });
    expect(p.summary).toBe('3 people need Food: gather it once, in bulk, and share it out?');
    expect(p.explanation.map((f) => [f.key, f.text, f.weight])).toEqual([
      ['agents.conquestOfBread.people', '3 people need Food right now.', 0.5],
      ['agents.conquestOfBread.area', '67 % of them are in North Bank.', 0.3],
      ['agents.conquestOfBread.offers', 'Open offers of Food already: 1.', 0.2],
      ['agents.conquestOfBread.total', 'Together they need 10 kg.', undefined],
    ]);
    // 0.5·3/6 + 0.3·2/3 + 0.2·1
    expect(p.score).toBe(0.65);
  });

  it('Scenario: many people needing to use the same thing are asked to share one', () => {
    const ladders = ['ana', 'ben', 'cai'].map((a, k) => need(`u${k}`, a, { name: 'Ladder', action: 'use', resourceConformsTo: 'tools' }));
    const [p] = run(ladders);
    expect(p.kind).toBe('shared-use');
    expect(p.summary).toBe('3 people need to use Tools: share one between them?');
    expect(p.explanation.map((f) => f.key)).not.toContain('agents.conquestOfBread.total');
  });

  it('Scenario: too few people, one person’s repeated needs, or mixed units make no pool or no total', () => {
    expect(run([flour('n1', 'ana', 2), flour('n2', 'ben', 5)])).toEqual([]);
    expect(run([flour('n1', 'ana', 2), flour('n2', 'ana', 5), flour('n3', 'ben', 1)])).toEqual([]);
    const mixed = [flour('n1', 'ana', 2), flour('n2', 'ben', 5), need('n3', 'cai', { resourceConformsTo: 'food', resourceQuantity: { hasNumericalValue: 3, hasUnit: 'bag' } })];
    const [p] = run(mixed);
    expect(p.explanation.map((f) => f.key)).not.toContain('agents.conquestOfBread.total');
    expect(run(mixed, { settings: { minPeople: 4 } })).toEqual([]);
    expect(run(mixed, { settings: { minPeople: 1 } })).toHaveLength(1); // out of range: default 3
  });

  it('Scenario: hidden, fulfilled and expired needs are not pooled', () => {
    const needs = [flour('n1', 'ana', 2), flour('n2', 'ben', 5), flour('n3', 'cai', 3)];
    expect(run(needs, { canSee: (a: string) => a !== 'cai' })).toEqual([]);
    expect(run([...needs.slice(0, 2), { ...needs[2], status: 'fulfilled' }])).toEqual([]);
    expect(run([...needs.slice(0, 2), { ...needs[2], expires: NOW - DAY }])).toEqual([]);
  });

  it('Scenario: ConquestOfBread proposes nothing with a budget of zero steps', () => {
    expect(run([flour('n1', 'ana', 2), flour('n2', 'ben', 5), flour('n3', 'cai', 3)], { budget: 0 })).toEqual([]);
  });

  agentPropertyScenarios('ConquestOfBread', conquestOfBread, { hiddenRecordsHaveNoSay: true });
});
