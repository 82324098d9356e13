import { decodeSyncMessage } from '@automerge/automerge/slim';
import { opsInChunks } from './automerge-op-count.ts';

/** The changes an automerge-repo sync or request frame's payload carries; none if it does not decode (automerge-repo refuses it). */
function changesOf(data: unknown): Uint8Array[] {
  if (!(data instanceof Uint8Array)) return [];
  try {
    return decodeSyncMessage(data).changes;
  } catch {
    return [];
  }
}

/** Whether a sync or request frame's payload carries changes (a write), not only heads and requests (a read). */
export function carriesChanges(data: unknown): boolean {
  return changesOf(data).length > 0;
}

/**
 * The ops Automerge would take in from a sync or request frame's payload (0 for a read), counted
 * without Automerge; past `limit` the count stops, and what cannot be counted is Infinity.
 */
export function opsCarried(data: unknown, limit: number): number {
  let total = 0;
  for (const change of changesOf(data)) {
    total += opsInChunks(change, limit - total);
    if (total > limit) break;
  }
  return total;
}
