import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fieldProblems, formProblem } from '../../../src/client/intent-fields.ts';

// openspec/changes/core-loop/specs/offers-needs/spec.md — form errors next to their fields
const base = { kind: 'offer' as const, category: 'tools', title: 'Drill', description: '' };

describe('post form: problems by field', () => {
  it('Scenario: an empty title, no category and a quantity without a unit are each reported at their own field', () => {
    const p = fieldProblems({ input: { ...base, title: ' ', category: '', quantity: { hasNumericalValue: 2, hasUnit: '' } }, quantityText: '2' });
    expect(p).toEqual({ title: 'error.required', category: 'form.chooseCategory', unit: 'error.required' });
    expect(fieldProblems({ input: base, quantityText: '-1' })).toEqual({ quantity: 'error.badQuantity' });
    expect(fieldProblems({ input: { ...base, availableFrom: 10, availableUntil: 5 }, quantityText: '' })).toEqual({ until: 'error.endBeforeStart' });
    expect(fieldProblems({ input: base, quantityText: '' })).toEqual({});
    expect(formProblem({ input: base, quantityText: '' })).toBeNull();
  });

  it('Scenario: a half-chosen or impossible date is reported at its own field, never posted as "no date"', () => {
    const p = fieldProblems({ input: base, quantityText: '', days: { from: '2027-02-31', until: '2027-03-', expires: '27-03-01' } });
    expect(p).toEqual({ from: 'date.error.noSuchDay', until: 'date.error.incomplete', expires: 'date.error.year' });
    expect(fieldProblems({ input: base, quantityText: '', days: { from: '2028-02-29', until: '', expires: '2027-12-31' } })).toEqual({});
  });

  it('Scenario: a form with no field problem passes the record check too (no error without a field to show it at)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 130 }), fc.string({ maxLength: 2100 }), fc.option(fc.double({ noNaN: false }), { nil: undefined }), fc.string({ maxLength: 30 }), (title, description, q, unit) => {
        const quantityText = q === undefined ? '' : String(q);
        const input = { ...base, title, description, quantity: q === undefined ? undefined : { hasNumericalValue: Number(quantityText), hasUnit: unit.trim() } };
        if (Object.keys(fieldProblems({ input, quantityText })).length === 0) expect(formProblem({ input, quantityText })).toBeNull();
      }),
      { numRuns: 300 },
    );
  });
});
