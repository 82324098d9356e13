import { ANSWER_LIMITS } from './limits.ts';
import { fold, tokenize } from './tokenize.ts';
import type { DiscoveryResult, PublicRecord } from './types.ts';

export interface IndexQuery {
  text: string;
  category?: string;
  area?: string;
  kind?: string;
}

/**
 * What an island publishes for other islands to find: an inverted index (word → records) plus
 * category and area buckets. Only `audience === 'public'` records get in; anything else put() is
 * refused and removes an earlier public version, so a record made non-public stops being found.
 */
export class PublicIndex {
  private readonly records = new Map<string, PublicRecord>();
  private readonly words = new Map<string, Set<string>>();
  private readonly facets = new Map<string, Set<string>>();

  get size(): number {
    return this.records.size;
  }

  put(r: PublicRecord): boolean {
    this.remove(r.key);
    if (r.audience !== 'public') return false;
    this.records.set(r.key, r);
    for (const w of tokenize(`${r.title} ${r.text}`, 256)) add(this.words, w, r.key);
    for (const f of this.facetsOf(r)) add(this.facets, f, r.key);
    return true;
  }

  remove(key: string): void {
    const r = this.records.get(key);
    if (!r) return;
    this.records.delete(key);
    for (const w of tokenize(`${r.title} ${r.text}`, 256)) drop(this.words, w, key);
    for (const f of this.facetsOf(r)) drop(this.facets, f, key);
  }

  private facetsOf(r: PublicRecord): string[] {
    const out = [`c:${fold(r.category)}`];
    if (r.categoryName) out.push(`c:${fold(r.categoryName)}`);
    if (r.area) out.push(`a:${fold(r.area)}`);
    if (r.areaName) out.push(`a:${fold(r.areaName)}`);
    return [...new Set(out)];
  }

  /**
   * Records with every query word and the category and area asked for, current at `now`, newest first.
   * Starts from the smallest posting set so a common word costs no more than a rare one.
   */
  search(q: IndexQuery, now: number, limit: number = ANSWER_LIMITS.results): PublicRecord[] {
    const sets: Array<Set<string> | undefined> = tokenize(q.text, 16).map((w) => this.words.get(w));
    if (q.category) sets.push(this.facets.get(`c:${fold(q.category)}`));
    if (q.area) sets.push(this.facets.get(`a:${fold(q.area)}`));
    if (sets.length === 0) return [];
    if (sets.some((s) => !s)) return [];
    const ordered = (sets as Set<string>[]).sort((a, b) => a.size - b.size);
    const hits: PublicRecord[] = [];
    for (const key of ordered[0]) {
      if (!ordered.every((s) => s.has(key))) continue;
      const r = this.records.get(key)!;
      if (r.audience !== 'public' || (r.expires !== undefined && r.expires <= now) || (q.kind && r.kind !== q.kind)) continue;
      hits.push(r);
    }
    return hits.sort((a, b) => b.updated - a.updated || (a.key < b.key ? -1 : 1)).slice(0, limit);
  }
}

function add(m: Map<string, Set<string>>, k: string, key: string): void {
  let s = m.get(k);
  if (!s) m.set(k, (s = new Set()));
  s.add(key);
}

function drop(m: Map<string, Set<string>>, k: string, key: string): void {
  const s = m.get(k);
  if (!s) return;
  s.delete(key);
  if (s.size === 0) m.delete(k);
}

/** A record as it may leave the island: title, kind, category, area, time and the author's name only. */
export function toResult(r: PublicRecord): DiscoveryResult {
  const clip = (s: string, n: number) => (s.length > n ? s.slice(0, n) : s);
  return {
    title: clip(r.title, ANSWER_LIMITS.titleChars),
    kind: r.kind,
    category: clip(r.categoryName ?? r.category, 64),
    ...(r.areaName || r.area ? { area: clip(r.areaName ?? r.area!, 64) } : {}),
    updated: r.updated,
    ...(r.authorName ? { authorName: clip(r.authorName, ANSWER_LIMITS.nameChars) } : {}),
  };
}
