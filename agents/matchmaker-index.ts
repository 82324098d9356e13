/**
 * The matchmaker's pruning index and pair score. Each side (offers or needs) is laid out as typed
 * arrays — window, amount, unit, area, author as numbers — so scoring tens of thousands of candidate
 * pairs reads compact memory instead of chasing record objects; the index groups a side by category,
 * then area, so an intent is only ever scored against its own category.
 */
import type { Intent } from '../src/core/model/types.ts';
import { DAY, type Window, windowOf } from './lib/time.ts';

export interface Prepared {
  intent: Intent;
  window: Window;
  /** Copied out of the record: records arrive in many shapes, and sorting reads these often. */
  id: string;
  created: number;
}

/** Strings to small integers, so comparisons in the hot loop are integer compares. */
export class Interner {
  private readonly ids = new Map<string, number>();
  id(s: string | undefined): number {
    if (s === undefined) return -1;
    let k = this.ids.get(s);
    if (k === undefined) this.ids.set(s, (k = this.ids.size));
    return k;
  }
  /** Ids in the alphabetical order of their strings. */
  sorted(ids: Iterable<number>): number[] {
    const names = new Map([...this.ids].map(([s, k]) => [k, s]));
    return [...ids].sort((a, b) => ((names.get(a) ?? '') < (names.get(b) ?? '') ? -1 : 1));
  }
}

export interface Tables {
  units: Interner;
  areas: Interner;
  authors: Interner;
}

export function tables(): Tables {
  return { units: new Interner(), areas: new Interner(), authors: new Interner() };
}

export interface Side {
  items: Prepared[];
  start: Float64Array;
  end: Float64Array;
  amount: Float64Array;
  unit: Int32Array;
  area: Int32Array;
  author: Int32Array;
}

export function side(items: Prepared[], t: Tables): Side {
  const n = items.length;
  const s: Side = {
    items,
    start: new Float64Array(n),
    end: new Float64Array(n),
    amount: new Float64Array(n),
    unit: new Int32Array(n),
    area: new Int32Array(n),
    author: new Int32Array(n),
  };
  for (let k = 0; k < n; k++) {
    const i = items[k].intent;
    s.start[k] = items[k].window.start;
    s.end[k] = items[k].window.end;
    s.amount[k] = i.resourceQuantity?.hasNumericalValue ?? 0;
    s.unit[k] = t.units.id(i.resourceQuantity?.hasUnit.trim().toLowerCase());
    s.area[k] = t.areas.id(i.atLocation);
    s.author[k] = t.authors.id(i.author);
  }
  return s;
}

export function prepared(i: Intent, now: number): Prepared {
  return { intent: i, window: windowOf(i, now), id: i.id, created: i.created };
}

export interface CategoryIndex {
  all: Int32Array;
  /** Area id (-1 = no area) → members of that area, in side order. */
  byArea: Map<number, Int32Array>;
  /** Stated area ids in alphabetical order: the order farther buckets are visited in. */
  areas: number[];
}

export function indexByCategory(s: Side, t: Tables): Map<string, CategoryIndex> {
  const groups = new Map<string, number[]>();
  for (let k = 0; k < s.items.length; k++) {
    const cat = s.items[k].intent.resourceConformsTo;
    const g = groups.get(cat);
    if (g) g.push(k);
    else groups.set(cat, [k]);
  }
  const out = new Map<string, CategoryIndex>();
  for (const [cat, ks] of groups) {
    const byArea = new Map<number, number[]>();
    for (const k of ks) {
      const a = s.area[k];
      const l = byArea.get(a);
      if (l) l.push(k);
      else byArea.set(a, [k]);
    }
    out.set(cat, {
      all: Int32Array.from(ks),
      byArea: new Map([...byArea].map(([a, l]) => [a, Int32Array.from(l)])),
      areas: t.areas.sorted([...byArea.keys()].filter((a) => a >= 0)),
    });
  }
  return out;
}

const EMPTY = new Int32Array(0);

/**
 * Writes into `out` the other side's members to score for one intent: its own area, then those with no
 * area, then the other areas of the category, at most `cap`. `rank` (the intent's position among its
 * category and area) rotates where each bucket is entered, so when the cap bites, different intents
 * look at different candidates instead of all at the same oldest ones.
 */
export function candidates(c: CategoryIndex | undefined, area: number, rank: number, cap: number, out: Int32Array): number {
  if (!c) return 0;
  let given = 0;
  const take = (b: Int32Array) => {
    const n = b.length;
    if (n === 0) return;
    const start = (rank * cap) % n;
    for (let k = 0; k < n && given < cap; k++) {
      const j = start + k;
      out[given++] = b[j < n ? j : j - n];
    }
  };
  if (area < 0) take(c.all);
  else {
    take(c.byArea.get(area) ?? EMPTY);
    take(c.byArea.get(-1) ?? EMPTY);
    for (const a of c.areas) {
      if (given >= cap) break;
      if (a !== area) take(c.byArea.get(a) ?? EMPTY);
    }
  }
  return given;
}

export interface ScoreWeights {
  category: number;
  location: number;
  time: number;
  quantity: number;
  /** Days apart at which the time share falls to zero, in ms. */
  toleranceMs: number;
}

/** Category (always shared: candidates come from one category) + location + time + quantity. */
export function pairScore(w: ScoreWeights, offers: Side, o: number, needs: Side, n: number): number {
  const oa = offers.area[o];
  const na = needs.area[n];
  const loc = oa < 0 || na < 0 ? 0.5 : oa === na ? 1 : 0;
  const gap = Math.max(0, Math.max(offers.start[o], needs.start[n]) - Math.min(offers.end[o], needs.end[n]));
  const time = gap === 0 ? 1 : Math.max(0, 1 - gap / w.toleranceMs);
  const nu = needs.unit[n];
  const qty = nu < 0 ? 1 : offers.unit[o] !== nu ? 0.5 : Math.min(1, offers.amount[o] / needs.amount[n]);
  return w.category + w.location * loc + w.time * time + w.quantity * qty;
}

export function toleranceMs(days: number): number {
  return days * DAY;
}
