/**
 * A calendar day as a person picks it in three parts (day, month, year), and the `yyyy-mm-dd` text the
 * app keeps (local-day.ts). The browser's own date picker follows the browser's language, not the app's,
 * so the app draws its own field; this is its logic, free of any screen.
 *
 * The field's value is always `yyyy-mm-dd` shaped: '' when nothing is chosen, a real day when all three
 * parts make one, and otherwise the parts as chosen with blanks (`-02-31`), which no check takes for a
 * day. So a form that only reads the value can never store half a date as "no date".
 */

export interface DayParts {
  /** The year as typed (digits), '' when empty. */
  year: string;
  /** 1–12, 0 when not chosen. */
  month: number;
  /** 1–31, 0 when not chosen. */
  day: number;
}

/** Why the parts are not a day; each is a message key the field shows next to itself. */
export type DayProblem = 'date.error.incomplete' | 'date.error.year' | 'date.error.noSuchDay';

/** Years a person can mean: four digits, from the first the app can store to the last a form would need. */
export const FIRST_YEAR = 1970;
export const LAST_YEAR = 9999;

const EMPTY: DayParts = { year: '', month: 0, day: 0 };
const pad = (n: number) => String(n).padStart(2, '0');

/** The value the field holds for these parts. */
export function dayText(p: DayParts): string {
  const year = p.year.trim();
  if (year === '' && p.month === 0 && p.day === 0) return '';
  return `${year}-${p.month ? pad(p.month) : ''}-${p.day ? pad(p.day) : ''}`;
}

/** The parts of a value (what the field shows when it opens); anything unreadable shows as empty. */
export function dayParts(text: string): DayParts {
  const m = /^(\d{0,4})-(\d{2})?-(\d{2})?$/.exec(text);
  if (!m) return { ...EMPTY };
  const month = m[2] ? Number(m[2]) : 0;
  const day = m[3] ? Number(m[3]) : 0;
  return { year: m[1]!, month: month >= 1 && month <= 12 ? month : 0, day: day >= 1 && day <= 31 ? day : 0 };
}

/** The days a month has in a year; a year not (yet) typed allows 29 February. */
export function daysInMonth(month: number, year: string): number {
  if (month === 2) {
    const y = Number(year);
    if (!/^\d{4}$/.test(year)) return 29;
    return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  }
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** What is wrong with a value, or null when it is empty (no date) or a real day. */
export function dayProblem(text: string): DayProblem | null {
  if (text === '') return null;
  const m = /^(\d*)-(\d{2})?-(\d{2})?$/.exec(text);
  if (!m || !m[1] || !m[2] || !m[3]) return 'date.error.incomplete';
  const [year, month, day] = [m[1], Number(m[2]), Number(m[3])];
  if (!/^\d{4}$/.test(year) || Number(year) < FIRST_YEAR || Number(year) > LAST_YEAR) return 'date.error.year';
  if (month < 1 || month > 12) return 'date.error.incomplete';
  if (day < 1 || day > daysInMonth(month, year)) return 'date.error.noSuchDay';
  return null;
}
