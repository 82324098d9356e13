/**
 * Intl formatters are costly to build (a locale lookup each) and `t()` runs for every word on screen: a
 * list of 50 cards built them thousands of times on a cold start. One of each per locale, kept.
 */
const pluralRules = new Map<string, Intl.PluralRules>();
const numberFormats = new Map<string, Intl.NumberFormat>();

function pluralOf(locale: string): Intl.PluralRules {
  let rules = pluralRules.get(locale);
  if (!rules) pluralRules.set(locale, (rules = new Intl.PluralRules(locale)));
  return rules;
}

/** Languages written with the digits 0-9, which group no number under 10,000 ('min2'). */
const PLAIN_DIGITS = new Set(['en', 'es']);

/**
 * A number as the language writes it. Group digits only from five up ('min2'), so years and PINs stay as
 * typed. The first Intl.NumberFormat a page builds loads the locale's number data (about 0.3 s on a slow
 * phone, and it landed on the first list's paint): the small whole numbers the screens show need none.
 */
function formatNumber(locale: string, v: number): string {
  if (Number.isInteger(v) && Math.abs(v) < 10_000 && !Object.is(v, -0) && PLAIN_DIGITS.has(locale)) return String(v);
  let numbers = numberFormats.get(locale);
  if (!numbers) numberFormats.set(locale, (numbers = new Intl.NumberFormat(locale, { useGrouping: 'min2' } as Intl.NumberFormatOptions)));
  return numbers.format(v);
}

/**
 * One message in one language: the plural form the language's rules pick for `{n}` (Intl.PluralRules:
 * "1 change" / "2 changes", Spanish "1 minuto" / "2 minutos"), placeholders filled, numbers written as
 * the language writes them. A form is the key plus `.one`, `.few`, `.many`…; the key itself is the
 * general ("other") form, so a language needs only the forms it has.
 */
export function message(
  dictionary: Readonly<Record<string, string>>,
  fallback: Readonly<Record<string, string>>,
  locale: string,
  key: string,
  params: Readonly<Record<string, string | number>> = {},
): string {
  const n = params.n;
  const form = typeof n === 'number' && Number.isFinite(n) ? `${key}.${pluralOf(locale).select(n)}` : undefined;
  const text = (form && dictionary[form]) ?? dictionary[key] ?? (form && !(key in dictionary) ? fallback[form] : undefined) ?? fallback[key] ?? key;
  if (!text.includes('{')) return text;
  return text.replace(/\{(\w+)\}/g, (_, p: string) => {
    const v = params[p];
    if (v === undefined) return `{${p}}`;
    return typeof v === 'number' ? formatNumber(locale, v) : v;
  });
}
