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
  const form = typeof n === 'number' && Number.isFinite(n) ? `${key}.${new Intl.PluralRules(locale).select(n)}` : undefined;
  const text = (form && dictionary[form]) ?? dictionary[key] ?? (form && !(key in dictionary) ? fallback[form] : undefined) ?? fallback[key] ?? key;
  // Group digits only from five up ('min2'), so years and PINs stay as typed.
  const numbers = new Intl.NumberFormat(locale, { useGrouping: 'min2' } as Intl.NumberFormatOptions);
  return text.replace(/\{(\w+)\}/g, (_, p: string) => {
    const v = params[p];
    if (v === undefined) return `{${p}}`;
    return typeof v === 'number' ? numbers.format(v) : v;
  });
}
