/**
 * What the model does not store directly, derived from what it does (documented in
 * openspec/specs/agents/spec.md, "Derived data"): who may see an event or a response, when someone is
 * available, how often a resource was used. Also the small shared pieces of the first seven agents:
 * a work budget, time windows, area scores, names and dates in plain words.
 */
import type { Audience, EconomicEvent, Intent, Proposal, Commitment } from '../src/core/model/types.ts';
import type { AgentInput } from './types.ts';

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

/** Counts steps against `input.budget`; once spent, an agent stops and returns what it has. */
export class Budget {
  private left: number;
  constructor(input: AgentInput) {
    const b = input.budget;
    this.left = typeof b === 'number' && Number.isFinite(b) && b >= 0 ? Math.floor(b) : Number.POSITIVE_INFINITY;
  }
  /** False once the budget is spent: the caller stops. */
  spend(n = 1): boolean {
    if (this.left < n) {
      this.left = 0;
      return false;
    }
    this.left -= n;
    return true;
  }
  /** Grants up to `n` steps at once (fewer when the budget runs out): for tight loops. */
  take(n: number): number {
    const k = Math.min(n, this.left);
    this.left -= k;
    return k;
  }
  get exhausted(): boolean {
    return this.left <= 0;
  }
}

/** Every intent by id, any status: events and responses borrow the audience of the intent they answer. */
export function allIntents(input: AgentInput): Map<string, Intent> {
  const m = new Map<string, Intent>();
  for (const member of input.members) for (const i of member.intents) m.set(i.id, i);
  return m;
}

/**
 * Events carry no audience of their own: an event is as visible as the intent it satisfies, and one
 * that satisfies no known intent is treated as 'trusted' (the stricter default, since it names people).
 */
export function audienceOf(intents: Map<string, Intent>, intentId: string | undefined): Audience {
  const i = intentId === undefined ? undefined : intents.get(intentId);
  return i ? i.audience : 'trusted';
}

export function visibleEvents(input: AgentInput, intents = allIntents(input)): EconomicEvent[] {
  const out: EconomicEvent[] = [];
  for (const m of input.members) {
    for (const e of m.events) {
      if (e.hasPointInTime > input.now) continue;
      if (input.canSee(e.author, audienceOf(intents, e.satisfies))) out.push(e);
    }
  }
  return out;
}

/** Intent ids someone has visibly answered (a Proposal or a Commitment): those are already moving. */
export function answeredIntents(input: AgentInput, known?: Map<string, Intent>): Set<string> {
  const out = new Set<string>();
  let intents = known;
  const see = (r: Proposal | Commitment, target: string | undefined) => {
    if (target === undefined) return;
    intents ??= allIntents(input);
    if (input.canSee(r.author, audienceOf(intents, target))) out.add(target);
  };
  for (const m of input.members) {
    for (const p of m.proposals) see(p, p.publishes);
    for (const c of m.commitments) see(c, c.satisfies);
  }
  return out;
}

export function memberNames(input: AgentInput): Map<string, string> {
  return new Map(input.members.map((m) => [m.agentId, m.name]));
}

export function nameOf(names: Map<string, string>, agentId: string | undefined): string {
  if (agentId === undefined) return 'someone';
  return names.get(agentId) ?? 'a member';
}

export function categoryName(input: AgentInput, id: string): string {
  const c = Object.hasOwn(input.community.categories, id) ? input.community.categories[id] : undefined;
  return typeof c?.name === 'string' ? c.name : id;
}

export function areaName(input: AgentInput, id: string | undefined): string {
  if (id === undefined) return 'no area';
  const a = Object.hasOwn(input.community.areas, id) ? input.community.areas[id] : undefined;
  return typeof a?.name === 'string' ? a.name : id;
}

export function isPerishable(input: AgentInput, category: string): boolean {
  return Object.hasOwn(input.community.categories, category) && input.community.categories[category]?.perishable === true;
}

/** Same area 1, one side unstated 0.5, different areas 0: areas are coarse and carry no distances. */
export function areaScore(a: string | undefined, b: string | undefined): number {
  if (a === undefined || b === undefined) return 0.5;
  return a === b ? 1 : 0;
}

export interface Window {
  start: number;
  end: number;
}

/** When an intent holds, clipped to now: no beginning = from now, no end = open-ended. */
export function windowOf(i: Intent, now: number): Window {
  return { start: Math.max(now, i.hasBeginning ?? now), end: i.hasEnd ?? Number.POSITIVE_INFINITY };
}

/** 0 when the windows overlap, else the gap between them in ms. */
export function windowGap(a: Window, b: Window): number {
  return Math.max(0, Math.max(a.start, b.start) - Math.min(a.end, b.end));
}

/** A date in plain words that does not depend on the reader's clock or time zone. */
export function day(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export function dayTime(ms: number): string {
  return new Date(ms).toISOString().slice(0, 16).replace('T', ' ') + ' UTC';
}

export function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

/** Lower-case words of a title, for matching names against each other or the plant table. */
export function words(text: string): string[] {
  return text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 1);
}

/** Stable order for records: oldest first, id as tie-break, so feed order never changes a result. */
export function byCreated<T extends { created: number; id: string }>(a: T, b: T): number {
  return a.created - b.created || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

export function byId<T extends { id: string }>(a: T, b: T): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** Reads `settings[key]` as one of `allowed`, else the fallback. */
export function choiceSetting<T extends string>(input: AgentInput, key: string, allowed: readonly T[], fallback: T): T {
  const v = input.settings?.[key];
  return typeof v === 'string' && (allowed as readonly string[]).includes(v) ? (v as T) : fallback;
}

/** A bounded whole-number setting: out of range or not a number → the fallback. */
export function intSetting(input: AgentInput, key: string, fallback: number, min: number, max: number): number {
  const v = input.settings?.[key];
  return typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max ? v : fallback;
}

/** A bounded real setting. */
export function realSetting(input: AgentInput, key: string, fallback: number, min: number, max: number): number {
  const v = input.settings?.[key];
  return typeof v === 'number' && Number.isFinite(v) && v >= min && v <= max ? v : fallback;
}

/**
 * Weights of a weighted-sum score from `settings.weights`: every named part a finite number ≥ 0 and
 * the sum > 0, else the defaults (shared settings are never trusted). Normalised to sum to 1.
 */
export function weightsSetting<K extends string>(input: AgentInput, defaults: Record<K, number>): Record<K, number> {
  const raw = input.settings?.weights;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return defaults;
  const keys = Object.keys(defaults) as K[];
  const out = {} as Record<K, number>;
  let sum = 0;
  for (const k of keys) {
    const v = (raw as Record<string, unknown>)[k];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) return defaults;
    out[k] = v;
    sum += v;
  }
  if (!(sum > 0) || !Number.isFinite(sum)) return defaults;
  for (const k of keys) out[k] = out[k] / sum;
  return out;
}
