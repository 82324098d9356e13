/**
 * Helpers shared by the "b" agents (education, governance, pooling, joy, inclusion, learning circles,
 * counter-power): validated settings, a work budget, visibility over every status, and plain word lists.
 */
import type { Audience, Intent } from '../src/core/model/types.ts';
import type { AgentInput, AgentProposal, MemberRecords } from './types.ts';

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

/**
 * A number setting inside [min, max]; anything else (wrong type, NaN, out of range) falls back to the
 * documented default, because settings are shared community data and never trusted.
 */
export function rangeSetting(input: AgentInput, key: string, fallback: number, min: number, max: number): number {
  const v = input.settings?.[key];
  return typeof v === 'number' && Number.isFinite(v) && v >= min && v <= max ? v : fallback;
}

/** A whole-number setting inside [min, max], else the default. */
export function intSetting(input: AgentInput, key: string, fallback: number, min: number, max: number): number {
  const v = rangeSetting(input, key, fallback, min, max);
  return Number.isInteger(v) ? v : fallback;
}

/** A list of short strings (≤ 64 entries of ≤ 64 characters), else the default. */
export function stringListSetting(input: AgentInput, key: string, fallback: readonly string[]): readonly string[] {
  const v = input.settings?.[key];
  if (!Array.isArray(v) || v.length > 64) return fallback;
  return v.every((s) => typeof s === 'string' && s.length <= 64) ? (v as string[]) : fallback;
}

/**
 * Weights of a weighted-sum score: each key a finite number ≥ 0, normalised to sum 1. A missing or bad
 * key falls back to its default; all-zero falls back to the defaults entirely.
 */
export function weightSettings<K extends string>(input: AgentInput, defaults: Readonly<Record<K, number>>, prefix = 'weight.'): Record<K, number> {
  const keys = Object.keys(defaults) as K[];
  const raw = {} as Record<K, number>;
  for (const k of keys) raw[k] = rangeSetting(input, prefix + k, defaults[k], 0, 1e6);
  const sum = keys.reduce((s, k) => s + raw[k], 0);
  const base = sum > 0 ? raw : defaults;
  const total = keys.reduce((s, k) => s + base[k], 0);
  const out = {} as Record<K, number>;
  for (const k of keys) out[k] = base[k] / total;
  return out;
}

/** Counts units of work against `input.budget`; once spent, an agent stops and returns what it has. */
export class Steps {
  private left: number;
  constructor(input: AgentInput) {
    const b = input.budget;
    this.left = typeof b === 'number' && Number.isFinite(b) ? Math.max(0, Math.floor(b)) : Number.POSITIVE_INFINITY;
  }
  /** Takes `n` steps; false when the budget does not cover them (and from then on). */
  take(n = 1): boolean {
    if (this.left < n) {
      this.left = 0;
      return false;
    }
    this.left -= n;
    return true;
  }
}

/**
 * Every intent (any status) the viewer may see, in member then record order. Agents that look at the
 * past (baselines, recurring themes) need fulfilled and withdrawn ones too, not only open ones.
 */
export function seenIntents(input: AgentInput, kind?: Intent['kind']): Intent[] {
  const out: Intent[] = [];
  for (const m of input.members) {
    for (const i of m.intents) {
      if (kind !== undefined && i.kind !== kind) continue;
      if (i.author !== m.agentId) continue; // a feed holds only its owner's records
      if (!input.canSee(i.author, i.audience)) continue;
      out.push(i);
    }
  }
  return out;
}

export function namesOf(members: readonly MemberRecords[]): Map<string, string> {
  return new Map(members.map((m) => [m.agentId, m.name] as const));
}

export const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** "A", "A and B", "A, B and C": English list for summaries (translations get the list as one param). */
export function listWords(words: readonly string[]): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}

export const round2 = (x: number): number => Math.round(x * 100) / 100;

const STOPWORDS = new Set(
  (
    'a an the and or of for to in on at by with from into about my our your their me we i you it is are be ' +
    'need needs needed want wanted looking some any please help someone anyone who can could would will ' +
    'this that these those have has had get got one two few more less very just also so if but not no ' +
    'de la el los las y o para con en un una por que mi'
  ).split(' '),
);

/**
 * Lower-cased content words of a text, with a light plural strip ("tomatoes" → "tomato", "bikes" →
 * "bike"): enough to see that two posts talk about the same thing, without any model.
 */
export function words(text: string): string[] {
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

/** The most common area among intents and its share of them (0 when none has an area). */
export function topArea(intents: readonly Pick<Intent, 'atLocation'>[]): { area: string | null; share: number } {
  const counts = new Map<string, number>();
  for (const i of intents) if (i.atLocation !== undefined) counts.set(i.atLocation, (counts.get(i.atLocation) ?? 0) + 1);
  let area: string | null = null;
  let best = 0;
  for (const [a, n] of [...counts].sort((x, y) => cmp(x[0], y[0]))) {
    if (n > best) {
      area = a;
      best = n;
    }
  }
  return { area, share: intents.length === 0 ? 0 : best / intents.length };
}

/**
 * One proposal per id, the best scoring kept (ties: the first). Ids repeat only when records repeat an
 * id (a copied intent or decision id in another feed); declining must still remove exactly one proposal.
 */
export function unique(proposals: readonly AgentProposal[]): AgentProposal[] {
  const best = new Map<string, AgentProposal>();
  for (const p of proposals) {
    const had = best.get(p.id);
    if (!had || p.score > had.score) best.set(p.id, p);
  }
  return [...best.values()];
}

/** A category's or area's name; ids that are not own keys (e.g. "constructor") fall back to the id. */
export function nameIn(table: Readonly<Record<string, { name: string }>>, id: string): string {
  const v = Object.hasOwn(table, id) ? table[id] : undefined;
  return typeof v?.name === 'string' ? v.name : id;
}

/**
 * Audiences of every intent by id. Events, proposals and commitments carry no audience: they are as
 * visible as the intent they answer, and 'trusted' (the stricter default, they name people) otherwise.
 */
export function audienceLookup(input: AgentInput): (intentId: string | undefined) => Audience {
  const m = new Map<string, Audience>();
  for (const mem of input.members) for (const i of mem.intents) m.set(i.id, i.audience);
  return (id) => (id === undefined ? undefined : m.get(id)) ?? 'trusted';
}
