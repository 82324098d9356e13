/**
 * Month names and the order of day, month and year as the app's language writes them ("5 de marzo de
 * 2027", "March 5, 2027"). Intl carries them for every language, so the date field follows the app's
 * language instead of the browser's, and a language added later needs no new month table.
 */

export type DayPart = 'day' | 'month' | 'year';

/** January to December in the language, as a list or a date field shows them on their own. */
export function monthNames(lang: string): string[] {
  const format = new Intl.DateTimeFormat(lang, { month: 'long', timeZone: 'UTC' });
  // Mid-month at noon UTC: the same month in every time zone.
  return Array.from({ length: 12 }, (_, i) => format.format(Date.UTC(2001, i, 15, 12)));
}

/** The order the language writes a date's parts in; a language Intl cannot order gets day, month, year. */
export function dayPartOrder(lang: string): DayPart[] {
  const parts = new Intl.DateTimeFormat(lang, { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).formatToParts(Date.UTC(2001, 2, 5, 12));
  const order = parts.map((p) => p.type).filter((t): t is DayPart => t === 'day' || t === 'month' || t === 'year');
  return order.length === 3 && new Set(order).size === 3 ? order : ['day', 'month', 'year'];
}
