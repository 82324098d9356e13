import { describe, expect, it } from 'vitest';
import { hemisphereOf, permaculture, tableMonth } from '../../../agents/permaculture.ts';
import { PLANTS, PLANT_BY_ID } from '../../../agents/plant-table.ts';
import { NOW, input, intent, member } from '../../helpers/agents/communities.ts';

const NOVEMBER = Date.UTC(2026, 10, 10, 12);

function community(now = NOW, settings?: Record<string, unknown>) {
  return input(
    [
      member('ana', {
        name: 'Ana',
        intents: [
          intent('ana', { id: 'o-tom', kind: 'offer', name: 'Tomato seedlings', resourceConformsTo: 'seeds' }),
          intent('ana', { id: 'o-garlic', kind: 'offer', name: 'Garlic bulbs to plant', resourceConformsTo: 'seeds' }),
          intent('ana', { id: 'o-apple', kind: 'offer', name: 'Young apple tree', resourceConformsTo: 'garden' }),
          intent('ana', { id: 'o-food', kind: 'offer', name: 'Basil pesto', resourceConformsTo: 'food' }),
        ],
      }),
      member('ben', { name: 'Ben', intents: [intent('ben', { id: 'n-tom', kind: 'need', name: 'Tomatoes', resourceConformsTo: 'food' })] }),
    ],
    { now, ...(settings ? { settings } : {}) },
  );
}

describe('PermaculturePlanner', () => {
  it('Scenario: in a northern May, tomatoes offered as seedlings and asked for as food are proposed for sowing with companions', () => {
    const out = permaculture.run(community());
    expect(out.map((p) => [p.kind, p.subjects])).toEqual([['sow', ['plant:tomato', 'month:2026-05', 'n-tom', 'o-tom']]]);
    const p = out[0];
    expect(p.summary).toBe('Sow Tomato this spring');
    expect(p.score).toBeCloseTo(0.4 + 0.3 / 3 + 0.3 / 3, 10);
    expect(p.explanation.map((f) => [f.key, f.weight, f.text])).toEqual([
      ['agents.permaculture.season', 0.4, 'spring in the northern hemisphere: a month to plant Tomato'],
      ['agents.permaculture.supply', 0.3, '1 offers of it, e.g. "Tomato seedlings" from Ana'],
      ['agents.permaculture.demand', 0.3, '1 posts ask for it, e.g. "Tomatoes" from Ben'],
      ['agents.permaculture.companions', undefined, 'Grows well with: Basil, Marigold, Carrot, Borage, Nasturtium, Garlic and Chives'],
      ['agents.permaculture.companionsNow', undefined, 'Also in season now: Basil, Marigold, Carrot, Borage, Nasturtium and Chives'],
      ['agents.permaculture.avoid', undefined, 'Keep apart from: Potato, Fennel, Cabbage and Dill'],
    ]);
  });

  it('Scenario: an offer of cooked food does not count as seeds (basil pesto is not supply)', () => {
    expect(permaculture.run(community()).some((p) => p.subjects[0] === 'plant:basil')).toBe(false);
  });

  it('Scenario: in the southern hemisphere the table shifts six months: May there is November here', () => {
    expect(tableMonth(NOW, 'south')).toBe(11);
    expect(hemisphereOf(input([], { settings: { latitude: -33.9 } }))).toBe('south');
    expect(hemisphereOf(input([], { settings: { hemisphere: 'sideways' } }))).toBe('north');
    const out = permaculture.run(community(NOW, { hemisphere: 'south' }));
    expect(out.map((p) => [p.kind, p.subjects[0]]).sort()).toEqual([['guild', 'plant:apple'], ['sow', 'plant:garlic']]);
    expect(out.find((p) => p.kind === 'sow')?.summary).toBe('Sow Garlic this autumn');
  });

  it('Scenario: a tree offered in its planting season gets a guild grouped by what each companion does', () => {
    const guild = permaculture.run(community(NOVEMBER)).find((p) => p.kind === 'guild');
    expect(guild?.summary).toBe('Plant a guild around Apple tree this autumn');
    expect(guild?.explanation.slice(3).map((f) => f.text)).toEqual([
      'nitrogen fixer: Clover',
      'accumulator: Comfrey and Yarrow',
      'pollinator: Comfrey, Clover, Chives, Nasturtium, Yarrow and Lavender',
      'pest repellent: Chives, Nasturtium and Garlic',
    ]);
  });

  it('Scenario: the plant table is consistent: companions and plants to avoid exist, months are 1–12', () => {
    for (const p of PLANTS) {
      for (const c of [...p.companions, ...p.avoid]) expect(PLANT_BY_ID.has(c), `${p.id} → ${c}`).toBe(true);
      for (const m of p.months) expect(m >= 1 && m <= 12).toBe(true);
    }
    expect(PLANTS.length).toBeGreaterThanOrEqual(30);
  });
});
