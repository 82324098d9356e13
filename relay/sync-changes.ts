import { decodeSyncMessage } from '@automerge/automerge/slim';

/**
 * Whether an automerge-repo sync or request frame's payload carries changes (a write), not only heads
 * and requests (a read). A payload that does not decode carries none here: automerge-repo refuses it.
 */
export function carriesChanges(data: unknown): boolean {
  if (!(data instanceof Uint8Array)) return false;
  try {
    return decodeSyncMessage(data).changes.length > 0;
  } catch {
    return false;
  }
}
