import { sendOrder } from './evict.ts';
import type { Entry } from './scan.ts';
import { matchesFilter } from './stats.ts';
import type { BundleMeta, ListFilter } from './types.ts';

/**
 * What the store shows of its index at one moment: live bundles only (expired ones wait for the sweeper
 * but are never listed, counted or offered), copied so callers cannot change the index.
 */
export class LiveView {
  constructor(
    private readonly index: ReadonlyMap<string, Entry>,
    private readonly now: () => number,
  ) {}

  expired(m: BundleMeta): boolean {
    return m.expiresAt <= this.now();
  }

  entry(id: string): Entry | undefined {
    const e = this.index.get(id);
    return e && !this.expired(e.meta) ? e : undefined;
  }

  /** Send order: priority 0 first, then oldest first. */
  list(filter: ListFilter): BundleMeta[] {
    const out: BundleMeta[] = [];
    for (const e of this.index.values()) if (this.matches(e.meta, filter)) out.push({ ...e.meta });
    out.sort(sendOrder);
    return filter.limit === undefined ? out : out.slice(0, Math.max(0, filter.limit));
  }

  count(filter: ListFilter): number {
    let n = 0;
    for (const e of this.index.values()) if (this.matches(e.meta, filter)) n++;
    return n;
  }

  ids(): string[] {
    const out: string[] = [];
    for (const e of this.index.values()) if (!this.expired(e.meta)) out.push(e.meta.id);
    return out;
  }

  private matches(m: BundleMeta, f: ListFilter): boolean {
    return !this.expired(m) && matchesFilter(m, f);
  }
}
