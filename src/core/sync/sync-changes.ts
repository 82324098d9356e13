import { decodeSyncMessage } from '@automerge/automerge/slim';
import { opsInChunks } from './automerge-op-count.ts';
import { changeCount } from './sync-message-changes.ts';

/** The changes an automerge-repo sync or request frame's payload carries; none if it does not decode (automerge-repo refuses it). */
export function changesOf(data: unknown): Uint8Array[] {
  if (!(data instanceof Uint8Array)) return [];
  // Most frames (requests, acknowledgements) carry none, which the header says without Automerge.
  if (changeCount(data) === 0) return [];
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

/** What a sync or request frame costs to take in: its ops, or why it is refused before Automerge sees it. */
export type FrameWeight = { ops: number } | { refused: 'too-many-ops' | 'unreadable' };

/**
 * Weighs an automerge-repo frame's payload: frames that write (sync, request) count their ops; past
 * `limit` they are too many, and changes that cannot be counted are unreadable. Other frames cost 0.
 * The relay weighs what phones and peers send, a phone what its hub sends.
 */
export function weighFrame(type: string, data: unknown, limit: number): FrameWeight {
  const ops = type === 'sync' || type === 'request' ? opsCarried(data, limit) : 0;
  if (ops <= limit) return { ops };
  return { refused: Number.isFinite(ops) ? 'too-many-ops' : 'unreadable' };
}
