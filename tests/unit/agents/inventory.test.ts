import { describe, expect, it } from 'vitest';
import { inventory, inventoryAgent } from '../../../agents/inventory.ts';
import { input, intent, member, gateHiding } from '../../helpers/agents/communities.ts';

const need = (id: string) => ({ id, kind: 'need' as const, resourceConformsTo: 'food', name: `Meal ${id}` });

function community() {
  return input([
    member('ana', {
      name: 'Ana',
      intents: [
        intent('ana', { id: 'o-ladder', kind: 'offer', action: 'use', name: 'Ladder', resourceConformsTo: 'tools' }),
        intent('ana', { id: 'o-ladder2', kind: 'offer', action: 'use', name: 'ladder ', resourceConformsTo: 'tools' }),
        intent('ana', { id: 'o-drill', kind: 'offer', action: 'use', name: 'Drill', resourceConformsTo: 'tools' }),
        intent('ana', { id: 'o-soup', kind: 'offer', name: 'Soup', resourceConformsTo: 'food' }),
      ],
    }),
    member('ben', { name: 'Ben', intents: [intent('ben', need('n1')), intent('ben', need('n2')), intent('ben', { id: 'o-ladder3', kind: 'offer', action: 'use', name: 'Ladder', resourceConformsTo: 'tools' })] }),
    member('cy', { name: 'Cy', intents: [intent('cy', { ...need('n3'), audience: 'trusted' })] }),
  ]);
}

describe('InventoryAgent', () => {
  it('Scenario: the inventory counts what is held in common, what is given and what is needed, per category', () => {
    expect(inventory(community())).toEqual([
      { category: 'food', shared: 0, given: 1, needs: 3, needIds: ['n1', 'n2', 'n3'] },
      { category: 'tools', shared: 4, given: 0, needs: 0, needIds: [] },
    ]);
  });

  it('Scenario: more needs than offers in a category is flagged as low stock, naming the waiting needs', () => {
    const low = inventoryAgent.run(community()).filter((p) => p.kind === 'low-stock');
    expect(low).toHaveLength(1);
    expect(low[0].subjects).toEqual(['category:food', 'n1', 'n2', 'n3']);
    expect(low[0].summary).toBe('Food is running low: 3 needs wait and 1 offers are open');
    expect(low[0].score).toBeCloseTo(0.7 * (2 / 3) + 0.3 * 0.3, 10);
    expect(low[0].explanation.map((f) => [f.key, f.weight])).toEqual([
      ['agents.inventory.lowStock.shortfall', 0.7],
      ['agents.inventory.lowStock.demand', 0.3],
      ['agents.inventory.lowStock.stock', undefined],
    ]);
  });

  it('Scenario: a need the viewer may not see is neither counted nor named', () => {
    const c = { ...community(), canSee: gateHiding([['cy', 'trusted']]) };
    const low = inventoryAgent.run(c).filter((p) => p.kind === 'low-stock');
    expect(low[0].subjects).toEqual(['category:food', 'n1', 'n2']);
    expect(inventoryAgent.run({ ...c, settings: { minNeeds: 3 } }).filter((p) => p.kind === 'low-stock')).toEqual([]);
  });

  it('Scenario: the same author posting the same thing twice is flagged as a duplicate; others posting it are not', () => {
    const dups = inventoryAgent.run(community()).filter((p) => p.kind === 'duplicate');
    expect(dups.map((p) => p.subjects)).toEqual([['o-ladder', 'o-ladder2']]);
    expect(dups[0].summary).toBe('Ana may have posted "Ladder" twice');
    expect(dups[0].explanation[1].text).toBe('Titles "Ladder" and "ladder " share 100% of their words');
  });

  it('Scenario: the budget stops the agent with what it has', () => {
    expect(inventoryAgent.run({ ...community(), budget: 0 })).toEqual([]);
    expect(inventoryAgent.run({ ...community(), budget: 2 }).map((p) => p.kind)).toEqual(['low-stock']);
  });
});
