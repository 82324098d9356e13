import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { entryId } from '../../../src/app/features/community/entry-id.ts';
import { settingProblem } from '../../../src/core/model/community-settings.ts';

describe('new category and area ids', () => {
  it('Scenario: an organiser adds a category by name and it gets a valid, unique id', () => {
    expect(entryId('Semillas y plantas', new Set())).toBe('semillas-y-plantas');
    expect(entryId('Food', new Set(['food']))).toBe('food-2');
    expect(entryId('¿¿??', new Set())).toBe('item');
  });

  it('Scenario: any name gives an id the community settings accept (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 80 }), { minLength: 1, maxLength: 20 }), (names) => {
        const taken = new Set<string>();
        const entries: Record<string, { id: string; name: string }> = {};
        for (const n of names) {
          const id = entryId(n, taken);
          expect(taken.has(id)).toBe(false);
          taken.add(id);
          entries[id] = { id, name: 'x' };
        }
        expect(settingProblem('categories', entries)).toBeNull();
      }),
    );
  });
});
