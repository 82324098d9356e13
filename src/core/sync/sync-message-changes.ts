import { LebReader, Malformed } from './leb-reader.ts';

/**
 * How many changes an Automerge sync message carries, read from its header without Automerge.
 *
 * Every frame a relay takes in is weighed (sync-changes.ts), and weighing meant Automerge's
 * decodeSyncMessage: a wasm call that builds every head, need and bloom filter as JS values. Under a
 * flood of requests for unknown docs (10,000 on one socket) that was an eighth of the relay's CPU, for
 * messages that carry no change at all. The layout (automerge rust/automerge/src/sync.rs, `Message::parse`):
 *
 *   version byte (0x42, or 0x43 for v2) · heads: uLEB n, n × 32-byte hash · need: the same ·
 *   have: uLEB n, n × (uLEB m, m × hash, uLEB len, len bloom bytes) · changes: uLEB n, n × (uLEB len, bytes) · flags…
 *
 * Only the answer "none" is trusted on its own: a message this reads as carrying changes, or cannot read,
 * goes to Automerge as before. Where Automerge could read it, both read the same lengths in the same
 * places, so a message Automerge finds changes in is never read here as carrying none (held by a
 * fast-check property in tests/unit/sync/sync-message-changes.test.ts).
 */
const HASH_BYTES = 32;
const VERSIONS = new Set([0x42, 0x43]);

/** The change count, or undefined when the header cannot be read (then Automerge decides). */
export function changeCount(msg: Uint8Array): number | undefined {
  const r = new LebReader(msg);
  const skipHashes = (): void => r.skip(HASH_BYTES * r.uleb());
  try {
    if (!VERSIONS.has(r.byte())) return undefined;
    skipHashes(); // heads
    skipHashes(); // need
    for (let haves = r.uleb(), i = 0; i < haves; i++) {
      skipHashes(); // last sync
      r.skip(r.uleb()); // bloom filter
    }
    return r.uleb();
  } catch (err) {
    if (err instanceof Malformed) return undefined;
    throw err;
  }
}
