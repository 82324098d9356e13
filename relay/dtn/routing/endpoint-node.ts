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

/**
 * Whether `eid` lives on the node `nodeId`. A prefix test first: most endpoints a pass meets are on no
 * peer's node, and a store of library chunks has more distinct endpoints than the memo keeps.
 */
export function livesOn(eid: string, nodeId: string): boolean {
  if (nodeId === '') return false;
  const prefix = nodeId.startsWith('ipn:') ? nodeId.slice(0, -1) : nodeId;
  return eid.startsWith(prefix) && singletonNodeOf(eid) === nodeId;
}
