/**
 * The community's own tables, categories and areas, as agents read them: by own key only (an id such
 * as "constructor" must not reach Object.prototype), with the id itself when a name is missing.
 */
import type { Intent } from '../../src/core/model/types.ts';
import type { AgentInput } from '../types.ts';
import { cmp } from './order.ts';
import { token, word } from './words.ts';

/** A category's or area's name; ids that are not own keys fall back to the id. */
export function nameIn(table: Readonly<Record<string, { name: string }>>, id: string): string {
  const v = Object.hasOwn(table, id) ? table[id] : undefined;
  return typeof v?.name === 'string' ? v.name : id;
}

/** A category as a parameter of a sentence: the app says it in the reader's language when it is a default one. */
export function categoryName(input: AgentInput, id: string): string {
  return token({ category: id, name: nameIn(input.community.categories, id) });
}

/** An area as a parameter of a sentence (see categoryName); "no area" when the post names none. */
export function areaName(input: AgentInput, id: string | undefined): string {
  return id === undefined ? word('agents.word.noArea') : token({ area: id, name: nameIn(input.community.areas, id) });
}

export function isPerishable(input: AgentInput, category: string): boolean {
  return Object.hasOwn(input.community.categories, category) && input.community.categories[category]?.perishable === true;
}

/** Same area 1, one side unstated 0.5, different areas 0: areas are coarse and carry no distances. */
export function areaScore(a: string | undefined, b: string | undefined): number {
  if (a === undefined || b === undefined) return 0.5;
  return a === b ? 1 : 0;
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
