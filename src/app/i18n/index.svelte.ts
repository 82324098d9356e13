import { en, type MessageKey } from './en.ts';
import { es } from './es.ts';
import { message } from './message.ts';

export const LOCALES = { en: 'English', es: 'Español' } as const;
export type Locale = keyof typeof LOCALES;

const dictionaries: Record<Locale, Record<MessageKey, string>> = { en, es };

function initial(): Locale {
  const saved = typeof localStorage !== 'undefined' ? localStorage.getItem('lang') : null;
  if (saved && saved in LOCALES) return saved as Locale;
  const nav = typeof navigator !== 'undefined' ? navigator.language.slice(0, 2) : 'en';
  return nav in LOCALES ? (nav as Locale) : 'en';
}

export const locale = $state({ current: initial() });

export function setLocale(l: Locale): void {
  locale.current = l;
  localStorage.setItem('lang', l);
  document.documentElement.lang = l;
}

/** Unknown keys (e.g. an error code from a newer peer) fall back to the key itself, never crash. */
export function t(key: string, params: Record<string, string | number> = {}): string {
  return message(dictionaries[locale.current], en, locale.current, key, params);
}

/** A translated string when the key is known, else the given English text (agents ship their own English). */
export function tOr(key: string, params: Record<string, string | number>, english: string): string {
  return key in dictionaries[locale.current] || key in en ? t(key, params) : english;
}

export function formatDate(ms: number): string {
  return new Intl.DateTimeFormat(locale.current, { dateStyle: 'medium' }).format(new Date(ms));
}

/** "5 minutes ago" in the current language. */
export function relativeTime(ms: number, now = Date.now()): string {
  const seconds = Math.round((ms - now) / 1000);
  const rtf = new Intl.RelativeTimeFormat(locale.current, { numeric: 'auto' });
  const steps: Array<[Intl.RelativeTimeFormatUnit, number]> = [['day', 86400], ['hour', 3600], ['minute', 60]];
  for (const [unit, size] of steps) if (Math.abs(seconds) >= size) return rtf.format(Math.round(seconds / size), unit);
  return rtf.format(seconds, 'second');
}
