/**
 * The words agents put inside their sentences. Agents are pure and speak no language: a parameter is
 * either what a member wrote (a title, a name, a number) or a token the app turns into the reader's
 * language — a word of the app's dictionary, a list, a time, or a community's category or area. The
 * English rendering (the `text` of a fact, the `summary`) is made here from the same tokens.
 */
import { PLANTS } from '../plant-table.ts';
import { THEME_WORDS } from './theme-words.ts';
import { dayTime } from './time.ts';

/** Every word an agent may say by itself, as an i18n key with its English. */
export const WORDS: Readonly<Record<string, string>> = {
  'agents.word.someone': 'someone',
  'agents.word.member': 'a member',
  'agents.word.you': 'you',
  'agents.word.none': 'none',
  'agents.word.noArea': 'no area',
  'agents.word.placeToAgree': 'a place to agree',
  'agents.word.noPlants': 'none in the table',
  'agents.season.winter': 'winter',
  'agents.season.spring': 'spring',
  'agents.season.summer': 'summer',
  'agents.season.autumn': 'autumn',
  'agents.hemisphere.north': 'north',
  'agents.hemisphere.south': 'south',
  // The learning circles' themes (agents/conscientization.ts).
  ...THEME_WORDS,
  ...Object.fromEntries(PLANTS.map((p) => [`agents.plant.${p.id}`, p.name])),
};

export type Token =
  | { word: string }
  | { list: Array<string | number> }
  | { time: number }
  | { category: string; name: string }
  | { area: string; name: string }
  | { community: string };

/**
 * Marks a parameter as a token. A member could start a title with it too: such a title is then read as a
 * token only when it is a well-formed one, and a word only when it is one of WORDS, so the worst it can do
 * is show one of these words, a date or a list instead of the title.
 */
const MARK = '\u001f';

export function token(t: Token): string {
  return MARK + JSON.stringify(t);
}

export const word = (key: string): string => token({ word: key });
export const list = (items: ReadonlyArray<string | number>): string => token({ list: [...items] });
export const time = (ms: number): string => token({ time: ms });

/** A parameter's token, or null when it is plain text or a number (what a member wrote). Total over any input. */
export function tokenOf(v: unknown): Token | null {
  if (typeof v !== 'string' || !v.startsWith(MARK)) return null;
  try {
    const t = JSON.parse(v.slice(1)) as unknown;
    if (typeof t !== 'object' || t === null || Array.isArray(t)) return null;
    const o = t as Record<string, unknown>;
    if (typeof o.word === 'string' && Object.hasOwn(WORDS, o.word)) return { word: o.word };
    if (Array.isArray(o.list) && o.list.every((x) => typeof x === 'string' || typeof x === 'number')) return { list: o.list as Array<string | number> };
    if (typeof o.time === 'number' && Number.isFinite(o.time)) return { time: o.time };
    if (typeof o.category === 'string' && typeof o.name === 'string') return { category: o.category, name: o.name };
    if (typeof o.area === 'string' && typeof o.name === 'string') return { area: o.area, name: o.name };
    if (typeof o.community === 'string') return { community: o.community };
    return null;
  } catch {
    return null;
  }
}

/** How a reader's language says each kind of token; the English one is below, the app brings the others. */
export interface Speaker {
  word(key: string): string;
  list(items: string[]): string;
  time(ms: number): string;
  category(id: string, name: string): string;
  area(id: string, name: string): string;
  community(name: string): string;
}

/** "A", "A and B", "A, B and C". */
function englishList(words: readonly string[]): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}

export const ENGLISH: Speaker = {
  word: (key) => WORDS[key] ?? key,
  list: englishList,
  time: dayTime,
  category: (_id, name) => name,
  area: (_id, name) => name,
  community: (name) => name,
};

/** One parameter in the speaker's language: tokens translated (lists item by item), anything else as it is. */
export function say(v: string | number, speaker: Speaker): string | number {
  const t = tokenOf(v);
  if (!t) return v;
  if ('word' in t) return speaker.word(t.word);
  if ('list' in t) return speaker.list(t.list.map((x) => String(say(x, speaker))));
  if ('time' in t) return speaker.time(t.time);
  if ('category' in t) return speaker.category(t.category, t.name);
  if ('area' in t) return speaker.area(t.area, t.name);
  return speaker.community(t.community);
}

/** Every parameter in the speaker's language. */
export function sayAll(params: Readonly<Record<string, string | number>>, speaker: Speaker): Record<string, string | number> {
  return Object.fromEntries(Object.entries(params).map(([k, v]) => [k, say(v, speaker)]));
}
