import type { BundleMeta } from './types.ts';

export interface Sized {
  meta: BundleMeta;
  fileBytes: number;
}

/**
 * The order bundles leave the store in: unpinned before pinned, anonymous before everything an
 * authenticated relay, a member or this island brought (so a stranger's flood, whatever it claims, can
 * only push out other strangers' bundles), low priority (3) before emergency (0), received before
 * locally originated at the same priority (so a neighbour's flood cannot push out the island's own
 * data), oldest first, then by id so the order is total.
 */
export function evictionOrder(a: BundleMeta, b: BundleMeta): number {
  return (
    Number(!!a.pinned) - Number(!!b.pinned) ||
    Number(!!b.anonymous) - Number(!!a.anonymous) ||
    b.priority - a.priority ||
    Number(!!a.local) - Number(!!b.local) ||
    a.createdAt - b.createdAt ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
}

/** Send order on a contact: emergency first, then oldest first within a priority. */
export function sendOrder(a: BundleMeta, b: BundleMeta): number {
  return a.priority - b.priority || a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

export interface EvictionInput<E extends Sized> {
  entries: Iterable<E>;
  /** bytes already on disk or reserved */
  used: number;
  /** the bundle to make room for; absent = trim an over-budget store (anything may go) */
  incoming?: Sized;
  high: number;
  low: number;
  isExpired: (meta: BundleMeta) => boolean;
}

/**
 * Which bundles to drop so `incoming` fits, or undefined if it cannot fit. Only bundles that would
 * themselves be evicted before `incoming` may go (plus expired ones), so a flood of low-priority
 * bundles can never push out an alert. When eviction is needed it goes down to the low-water mark,
 * so the sort below runs once per burst rather than on every put.
 */
export function planEviction<E extends Sized>(input: EvictionInput<E>): E[] | undefined {
  const { used, incoming, high, low } = input;
  const adding = incoming?.fileBytes ?? 0;
  if (used + adding <= high) return [];
  const all = [...input.entries];
  const expired = all.filter((e) => input.isExpired(e.meta));
  const alive = all.filter((e) => !input.isExpired(e.meta)).sort((a, b) => evictionOrder(a.meta, b.meta));
  const victims: E[] = [];
  let after = used + adding;
  for (const e of [...expired, ...alive]) {
    if (after <= low) break;
    if (incoming && !input.isExpired(e.meta) && evictionOrder(e.meta, incoming.meta) >= 0) break;
    victims.push(e);
    after -= e.fileBytes;
  }
  return after <= high ? victims : undefined;
}
