import type { MessageKey } from './en.ts';
import { message } from './message.ts';

export const LOCALES = { en: 'English', es: 'Español' } as const;
export type Locale = keyof typeof LOCALES;

type Dictionary = Readonly<Record<MessageKey, string>>;

/**
 * Each language's strings are a chunk of their own, fetched the first time the language is used: a phone
 * carries one table before its first screen, not both (together they were a quarter of the entry).
 * The service worker precaches both, so switching language works offline.
 */
const LOADERS: Record<Locale, () => Promise<Dictionary>> = {
  en: () => import('./en.ts').then((m) => m.en),
  es: () => import('./es.ts').then((m) => m.es),
};
const dictionaries: Partial<Record<Locale, Dictionary>> = {};
const NONE: Readonly<Record<string, string>> = {};

/** Fetches a language's strings once; main.ts awaits the first language before mounting the app. */
export async function loadLocale(l: Locale): Promise<void> {
  dictionaries[l] ??= await LOADERS[l]();
}

function initial(): Locale {
  const saved = typeof localStorage !== 'undefined' ? localStorage.getItem('lang') : null;
  if (saved && saved in LOCALES) return saved as Locale;
  const nav = typeof navigator !== 'undefined' ? navigator.language.slice(0, 2) : 'en';
  return nav in LOCALES ? (nav as Locale) : 'en';
}

export const locale = $state({ current: initial() });

let wanted: Locale | undefined;

/** Switches language once its strings are here; of quick successive choices the last one wins. */
export async function setLocale(l: Locale): Promise<void> {
  wanted = l;
  await loadLocale(l);
  if (wanted !== l) return;
  locale.current = l;
  localStorage.setItem('lang', l);
  document.documentElement.lang = l;
}

/**
 * Unknown keys (e.g. an error code from a newer peer) fall back to English where it is loaded, else to
 * the key itself, never crash. Spanish has every English key (a unit test checks), so a Spanish phone
 * never needs the English table.
 */
export function t(key: string, params: Record<string, string | number> = {}): string {
  return message(dictionaries[locale.current] ?? NONE, dictionaries.en ?? NONE, locale.current, key, params);
}

/** A translated string when the key is known, else the given English text (agents ship their own English). */
export function tOr(key: string, params: Record<string, string | number>, english: string): string {
  return key in (dictionaries[locale.current] ?? NONE) || key in (dictionaries.en ?? NONE) ? t(key, params) : english;
}

/** Built once per language: a card list formats a date or a time on every card. */
const dateFormats = new Map<string, Intl.DateTimeFormat>();
const relativeFormats = new Map<string, Intl.RelativeTimeFormat>();

export function formatDate(ms: number): string {
  let format = dateFormats.get(locale.current);
  if (!format) dateFormats.set(locale.current, (format = new Intl.DateTimeFormat(locale.current, { dateStyle: 'medium' })));
  return format.format(new Date(ms));
}

function relativeFormat(): Intl.RelativeTimeFormat {
  let rtf = relativeFormats.get(locale.current);
  if (!rtf) relativeFormats.set(locale.current, (rtf = new Intl.RelativeTimeFormat(locale.current, { numeric: 'auto' })));
  return rtf;
}

/**
 * Builds the formatter every card's age needs while the phone waits on its database: the first Intl
 * formatter a page builds loads the language's data (0.15-0.3 s at 4x CPU throttle, profiled), which
 * otherwise lands between the list's data and its first painted card.
 */
export function warmFormats(): void {
  relativeFormat();
}

/** "5 minutes ago" in the current language. */
export function relativeTime(ms: number, now = Date.now()): string {
  const seconds = Math.round((ms - now) / 1000);
  const rtf = relativeFormat();
  const steps: Array<[Intl.RelativeTimeFormatUnit, number]> = [['day', 86400], ['hour', 3600], ['minute', 60]];
  for (const [unit, size] of steps) if (Math.abs(seconds) >= size) return rtf.format(Math.round(seconds / size), unit);
  return rtf.format(seconds, 'second');
}
