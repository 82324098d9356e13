/**
 * Words of what members write, two ways: every word of a title in order (to match a name against
 * another name or the plant table), or the set of content words (to see that posts share a theme).
 */
import { cmp } from './order.ts';
import { list } from './words.ts';

/** Lower-case words of a title, accents stripped, in order and with repeats: for matching names. */
export function titleWords(text: string): string[] {
  return text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 1);
}

const STOPWORDS = new Set(
  (
    'a an the and or of for to in on at by with from into about my our your their me we i you it is are be ' +
    'need needs needed want wanted looking some any please help someone anyone who can could would will ' +
    'this that these those have has had get got one two few more less very just also so if but not no ' +
    'de la el los las y o para con en un una por que mi'
  ).split(' '),
);

/**
 * Lower-cased content words of a text, sorted and without repeats, stopwords dropped, with a light
 * plural strip ("tomatoes" → "tomato", "bikes" → "bike"): enough to see that two posts talk about the
 * same thing, without any model.
 */
export function contentWords(text: string): string[] {
  const out = new Set<string>();
  for (const raw of text.toLowerCase().split(/[^\p{L}\p{N}]+/u)) {
    if (raw.length < 3 || STOPWORDS.has(raw)) continue;
    out.add(stem(raw));
  }
  return [...out].sort(cmp);
}

function stem(w: string): string {
  if (w.length > 4 && w.endsWith('ies')) return `${w.slice(0, -3)}y`;
  if (w.length > 4 && /(ss|ch|sh|x|o)es$/.test(w)) return w.slice(0, -2);
  if (w.length > 3 && w.endsWith('s') && !w.endsWith('ss')) return w.slice(0, -1);
  return w;
}

/** A list as one parameter of a sentence: "A, B and C" in English, as the reader's language joins lists in the app. */
export function listWords(words: readonly string[]): string {
  return list(words);
}
