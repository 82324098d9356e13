import { decodeSyncMessage } from '@automerge/automerge/slim';
import { deflatedParts, opsInChunks, type InflatedAhead } from './automerge-op-count.ts';
import { changeCount } from './sync-message-changes.ts';

/**
 * Each payload's changes, decoded once: a phone lists a frame's deflated parts, inflates them, then
 * weighs the frame, and the parts inflated ahead are found by where they sit in these same bytes.
 */
const decoded = new WeakMap<Uint8Array, Uint8Array[]>();

/** The changes an automerge-repo sync or request frame's payload carries; none if it does not decode (automerge-repo refuses it). */
export function changesOf(data: unknown): Uint8Array[] {
  if (!(data instanceof Uint8Array)) return [];
  // Most frames (requests, acknowledgements) carry none, which the header says without Automerge.
  if (changeCount(data) === 0) return [];
  let changes = decoded.get(data);
  if (!changes) {
    try {
      changes = decodeSyncMessage(data).changes;
    } catch {
      changes = [];
    }
    decoded.set(data, changes);
  }
  return changes;
}

/** Whether a sync or request frame's payload carries changes (a write), not only heads and requests (a read). */
export function carriesChanges(data: unknown): boolean {
  return changesOf(data).length > 0;
}

/**
 * The ops Automerge would take in from a sync or request frame's payload (0 for a read), counted
 * without Automerge; past `limit` the count stops, and what cannot be counted is Infinity.
 */
export function opsCarried(data: unknown, limit: number, ahead?: InflatedAhead): number {
  let total = 0;
  for (const change of changesOf(data)) {
    total += opsInChunks(change, limit - total, ahead);
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
export function weighFrame(type: string, data: unknown, limit: number, ahead?: InflatedAhead): FrameWeight {
  const ops = type === 'sync' || type === 'request' ? opsCarried(data, limit, ahead) : 0;
  if (ops <= limit) return { ops };
  return { refused: Number.isFinite(ops) ? 'too-many-ops' : 'unreadable' };
}

/** The deflated parts weighing this frame would inflate (for InflatedAhead; none for frames that write nothing). */
export function frameDeflatedParts(type: string, data: unknown): Uint8Array[] {
  return type === 'sync' || type === 'request' ? changesOf(data).flatMap(deflatedParts) : [];
}
