import type { Page } from '@playwright/test';

/**
 * The Spanish check: everything a person reads on a screen (text, and the labels a screen reader or a
 * tooltip says) comes from the language's dictionary or is something a member typed. A message may carry
 * placeholders ({name}, {n}); those parts match anything. A text that is only numbers, signs or
 * punctuation ("3", "·", "(42 %)") says nothing in any language and passes.
 */
/**
 * Every readable text on the page now: visible text nodes, options of lists, and a11y/tooltip labels.
 * Left out, as HTML marks them: text in another language on purpose (`lang`, e.g. "English" in the
 * language list), names not to translate (`translate="no"`, e.g. a licence's name), machine text
 * (`code`, e.g. a key) and `time` (dates and "3 minutes ago", written by Intl in the page's language).
 */
export async function readableTexts(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    // Closed "Details" still hold words a person can open; they must be Spanish too.
    document.querySelectorAll('details').forEach((d) => (d.open = true));
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const parent = n.parentElement;
      const text = n.textContent?.replace(/\s+/g, ' ').trim();
      if (!parent || !text || parent.closest('script, style, noscript, code, time, [translate="no"]')) continue;
      if (parent.closest('[lang]') !== document.documentElement) continue;
      if (parent.closest('option') || parent.checkVisibility()) out.push(text);
    }
    for (const el of document.querySelectorAll<HTMLElement>('[aria-label], [placeholder], [title], img[alt]')) {
      if (el.closest('[translate="no"]')) continue;
      for (const a of ['aria-label', 'placeholder', 'title', 'alt']) {
        const v = el.getAttribute(a)?.trim();
        if (v) out.push(v);
      }
    }
    out.push(document.title);
    return out;
  });
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * One pattern per dictionary message: placeholders match anything, whitespace as any whitespace. A message
 * that is only placeholders and signs ("{field}: {error}") would match nearly any text, so it is left out:
 * its parts are checked one by one instead (see parts()).
 */
export function dictionaryPatterns(dictionary: Readonly<Record<string, string>>): RegExp[] {
  const seen = new Set<string>();
  const out: RegExp[] = [];
  for (const value of Object.values(dictionary)) {
    const text = value.replace(/\s+/g, ' ').trim();
    if (!text || seen.has(text) || !/\p{L}{2,}/u.test(text.replace(/\{\w+\}/g, ''))) continue;
    seen.add(text);
    const source = text
      .split(/(\{\w+\})/)
      .map((part) => (/^\{\w+\}$/.test(part) ? '.+?' : escape(part).replace(/ /g, '\\s*')))
      .join('');
    out.push(new RegExp(`^${source}$`, 's'));
  }
  return out;
}

const SAYS_NOTHING = /^[\d\s\p{P}\p{S}]*$/u;

/** Screens join messages with " · " or ": ", end a label with ":" and count with "(3)": the parts must be known. */
function parts(text: string): string[] {
  return text
    .split(/·|: /)
    .map((p) => p.replace(/\(\s*[\d.,]+\s*\)/g, ' ').replace(/:\s*$/, '').replace(/\s+/g, ' ').trim())
    .filter((p) => p !== '');
}

/**
 * The texts that are neither from the dictionary nor user data. A text that is a dictionary message with
 * user data around it (a name before ": …") passes once the user data is taken out.
 */
export function notInDictionary(texts: readonly string[], patterns: readonly RegExp[], userData: readonly string[], vocabulary: ReadonlySet<string> = new Set()): string[] {
  const bad = new Set<string>();
  // A text made only of words of a vocabulary (the check words of a key) is in the language too.
  const ofVocabulary = (s: string) => vocabulary.size > 0 && s.split(' ').every((w) => vocabulary.has(w));
  const whole = (s: string) => SAYS_NOTHING.test(s) || ofVocabulary(s) || patterns.some((p) => p.test(s));
  const known = (s: string) => whole(s) || parts(s).every(whole);
  for (const text of texts) {
    if (known(text) || userData.includes(text)) continue;
    let rest = text;
    for (const u of userData) rest = rest.split(u).join(' ');
    rest = rest.replace(/\s+/g, ' ').trim();
    if (known(rest)) continue;
    bad.add(text);
  }
  return [...bad];
}
