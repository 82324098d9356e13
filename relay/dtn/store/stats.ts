import type { Entry } from './scan.ts';
import { PRIORITIES, type BundleMeta, type ListFilter, type Priority, type StoreStats } from './types.ts';

/** Count and bytes per priority, of locally originated and of anonymous bundles (the totals come from the store). */
export function countEntries(entries: Iterable<Entry>): Pick<StoreStats, 'count' | 'byPriority' | 'local' | 'anonymous'> {
  const byPriority = Object.fromEntries(PRIORITIES.map((p) => [p, { count: 0, bytes: 0 }])) as StoreStats['byPriority'];
  const local = { count: 0, bytes: 0 };
  const anonymous = { count: 0, bytes: 0 };
  let count = 0;
  for (const e of entries) {
    count++;
    const b = byPriority[e.meta.priority as Priority];
    b.count++;
    b.bytes += e.fileBytes;
    if (e.meta.local) {
      local.count++;
      local.bytes += e.fileBytes;
    }
    if (e.meta.anonymous) {
      anonymous.count++;
      anonymous.bytes += e.fileBytes;
    }
  }
  return { count, byPriority, local, anonymous };
}

/** Whether a (live) bundle passes a list filter. */
export function matchesFilter(m: BundleMeta, f: ListFilter): boolean {
  if (f.priorities && !f.priorities.includes(m.priority)) return false;
  if (f.audiences && !f.audiences.includes(m.audience)) return false;
  if (f.destination !== undefined && m.destination !== f.destination) return false;
  if (f.exclude?.has(m.id)) return false;
  return !f.where || f.where(m);
}

export interface StoreTotals {
  bytes: number;
  byteBudget: number;
  pendingBytes: number;
  journalBytes: number;
  /** whether the last put of each kind was refused for room */
  full: { received: boolean; local: boolean };
  refusedFull: { received: number; local: number };
  /** set while a disk failure keeps the store read-only */
  readOnlyReason: string | undefined;
}

/** The store's stats(): per-bucket counts of `entries` plus the totals the store keeps itself. */
export function storeStats(entries: Iterable<Entry>, t: StoreTotals): StoreStats {
  const readOnly = t.readOnlyReason !== undefined;
  return {
    ...countEntries(entries),
    bytes: t.bytes,
    byteBudget: t.byteBudget,
    pendingBytes: t.pendingBytes,
    state: readOnly ? 'read-only' : t.full.received || t.full.local ? 'full' : 'ok',
    journalBytes: t.journalBytes,
    refusedFull: { ...t.refusedFull },
    ...(readOnly ? { readOnlyReason: t.readOnlyReason } : {}),
  };
}
