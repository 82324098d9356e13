import { isGroupEid, nodeIdOf } from '../../../src/core/dtn/index.ts';

/** Endpoints looked up at most before the table starts afresh: every listed bundle asks, every pass. */
const MAX_CACHED = 10_000;
const cache = new Map<string, string | null>();

/**
 * The node ID a singleton endpoint lives on (`dtn://x/inbox` → `dtn://x/`, `ipn:977.1` → `ipn:977.0`);
 * undefined for a group endpoint (`dtn://community/~changes` names no node) or an unreadable one.
 * Memoised: routers ask for each bundle on each pass over the store.
 */
export function singletonNodeOf(eid: string): string | undefined {
  let v = cache.get(eid);
  if (v === undefined) {
    try {
      v = isGroupEid(eid) || eid === 'dtn:none' ? null : nodeIdOf(eid);
    } catch {
      v = null;
    }
    if (cache.size >= MAX_CACHED) cache.clear();
    cache.set(eid, v);
  }
  return v ?? undefined;
}
