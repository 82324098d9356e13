const MAX_TOKENS = 64;

/**
 * Lower-case words without accents ("Café" and "cafe" meet), split on anything not a letter or digit,
 * with a plain trailing "s" dropped so "filters" finds "filter". Words of one letter are ignored.
 */
export function tokenize(text: string, max = MAX_TOKENS): string[] {
  const words = text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().split(/[^\p{L}\p{N}]+/u);
  const out = new Set<string>();
  for (const w of words) {
    if (w.length < 2) continue;
    out.add(w.length > 3 && w.endsWith('s') && !w.endsWith('ss') ? w.slice(0, -1) : w);
    if (out.size >= max) break;
  }
  return [...out];
}

/** Category and area ids or names compare case-blind and accent-blind. */
export function fold(v: string): string {
  return v.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().trim();
}
