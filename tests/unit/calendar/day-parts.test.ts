import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dayParts, dayProblem, dayText, daysInMonth, type DayParts } from '../../../src/core/calendar/day-parts.ts';
import { endOfLocalDay, localDay } from '../../../src/core/calendar/local-day.ts';
import { dayPartOrder, monthNames } from '../../../src/app/i18n/calendar-words.ts';

// openspec/changes/locale-finish/specs/offers-needs — the app's own date field, in the app's language
const pad = (n: number, w = 2) => String(n).padStart(w, '0');
const someDay = fc.date({ min: new Date('1970-01-02T00:00:00Z'), max: new Date('9999-12-30T00:00:00Z'), noInvalidDate: true });

describe('the date field', () => {
  it('Scenario: any real day chosen in the date field is kept as that local calendar day', () => {
    fc.assert(
      fc.property(someDay, (d) => {
        const text = localDay(d.getTime());
        const parts = dayParts(text);
        expect(parts).toEqual({ year: text.slice(0, 4), month: d.getMonth() + 1, day: d.getDate() });
        expect(dayText(parts)).toBe(text); // the parts shown give back the day stored
        expect(dayProblem(text)).toBeNull();
        expect(localDay(endOfLocalDay(text))).toBe(text); // and the app's local-day contract holds for it
      }),
    );
    // Whatever is chosen so far, the field shows it again as it was (half-chosen dates included).
    const anyParts = fc.record({ year: fc.stringMatching(/^\d{0,4}$/), month: fc.integer({ min: 0, max: 12 }), day: fc.integer({ min: 0, max: 31 }) });
    fc.assert(fc.property(anyParts, (p: DayParts) => {
      expect(dayParts(dayText(p))).toEqual(p);
    }));
    expect(dayText({ year: '', month: 0, day: 0 })).toBe('');
    expect(dayProblem('')).toBeNull(); // no date is a choice, not an error
  });

  it('Scenario: a day the month does not have, like 31 February, is refused with a clear error', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1970, max: 9999 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 31 }), (y, m, d) => {
        const text = `${pad(y, 4)}-${pad(m)}-${pad(d)}`;
        // The field and the app's storage agree on which days exist.
        const exists = endOfLocalDay(text) !== undefined;
        expect(dayProblem(text)).toBe(exists ? null : 'date.error.noSuchDay');
        expect(d <= daysInMonth(m, String(y))).toBe(exists);
      }),
    );
    expect(dayProblem('2027-02-31')).toBe('date.error.noSuchDay');
    expect(dayProblem('2027-02-29')).toBe('date.error.noSuchDay');
    expect(dayProblem('2028-02-29')).toBeNull();
    expect(dayProblem('2100-02-29')).toBe('date.error.noSuchDay');
    expect(dayProblem('2027-04-31')).toBe('date.error.noSuchDay');
    // Half a date is not "no date": the person is told to finish it or clear it.
    for (const half of ['2027--', '-03-', '--05', '2027-03-', '-03-05']) expect(dayProblem(half)).toBe('date.error.incomplete');
    for (const year of ['27-03-05', '0999-03-05', '1969-12-31']) expect(dayProblem(year)).toBe('date.error.year');
    for (const junk of ['5 March', '2027-13-01', '2027-00-10', 'x-y-z']) expect(dayProblem(junk)).not.toBeNull();
  });

  it('Scenario: the date field shows the month names and the order of the app language', () => {
    expect(monthNames('es')).toEqual(['enero', 'febrero', 'marzo', 'abril', 'mayo', 'junio', 'julio', 'agosto', 'septiembre', 'octubre', 'noviembre', 'diciembre']);
    expect(monthNames('en')[0]).toBe('January');
    expect(monthNames('en')[11]).toBe('December');
    expect(dayPartOrder('es')).toEqual(['day', 'month', 'year']);
    expect(dayPartOrder('en-US')).toEqual(['month', 'day', 'year']);
    expect(dayPartOrder('en-GB')).toEqual(['day', 'month', 'year']);
    expect(dayPartOrder('zz')).toHaveLength(3); // any language gets all three parts
  });
});
