/** The shared agent helpers in agents/lib/: one definition each, so their rules are tested once here. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Budget } from '../../../agents/lib/budget.ts';
import { weightsFromKeys, weightsFromObject } from '../../../agents/lib/settings.ts';
import { contentWords, titleWords } from '../../../agents/lib/text.ts';
import type { AgentInput } from '../../../agents/types.ts';
import { input } from '../../helpers/agents/communities.ts';

const anyValue = fc.oneof(fc.double(), fc.integer(), fc.string(), fc.constant(null), fc.constant(undefined), fc.array(fc.double(), { maxLength: 3 }));

describe('agents/lib', () => {
  it('Scenario: a budget is never overspent, and a budget of zero or below allows no work (property)', () => {
    fc.assert(
      fc.property(fc.option(fc.oneof(fc.integer({ min: -50, max: 200 }), fc.double()), { nil: undefined }), fc.array(fc.nat({ max: 5 }), { maxLength: 80 }), (b, asks) => {
        const budget = new Budget({ ...input([]), ...(b === undefined ? {} : { budget: b }) } as AgentInput);
        let spent = 0;
        for (const n of asks) if (n > 0 && budget.spend(n)) spent += n;
        if (b === undefined || Number.isNaN(b) || b === Number.POSITIVE_INFINITY) expect(spent).toBe(asks.reduce((s, n) => s + n, 0));
        else expect(spent).toBeLessThanOrEqual(Math.max(0, Math.floor(b)));
        if (typeof b === 'number' && b < 1) expect(spent).toBe(0);
      }),
    );
  });

  it('Scenario: weights from any settings are finite, not negative and sum to 1, and bad ones fall back to the defaults (property)', () => {
    const defaults = { a: 0.5, b: 0.3, c: 0.2 };
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom('weights', 'weight.a', 'weight.b', 'weight.c', 'other'), fc.oneof(anyValue, fc.dictionary(fc.constantFrom('a', 'b', 'c'), anyValue))), (settings) => {
        for (const w of [weightsFromObject({ ...input([]), settings }, defaults), weightsFromKeys({ ...input([]), settings }, defaults)]) {
          const parts = Object.values(w);
          expect(parts.every((x) => Number.isFinite(x) && x >= 0)).toBe(true);
          expect(parts.reduce((s, x) => s + x, 0)).toBeCloseTo(1, 9);
        }
      }),
    );
    expect(weightsFromObject({ ...input([]), settings: { weights: { a: 1, b: -1, c: 1 } } }, defaults)).toEqual(defaults);
    expect(weightsFromKeys({ ...input([]), settings: { 'weight.a': 0, 'weight.b': 0, 'weight.c': 0 } }, defaults)).toEqual(defaults);
  });

  it('Scenario: title words keep order and repeats, content words are a sorted set without stop words (property)', () => {
    expect(titleWords('Café de la Plaza: café')).toEqual(['cafe', 'de', 'la', 'plaza', 'cafe']);
    expect(contentWords('Need tomatoes, tomatoes and bikes for the classes')).toEqual(['bike', 'class', 'tomato']);
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        expect(titleWords(text).every((w) => /^[a-z0-9]{2,}$/.test(w))).toBe(true);
        const cw = contentWords(text);
        expect([...new Set(cw)].sort()).toEqual(cw);
      }),
    );
  });
});
