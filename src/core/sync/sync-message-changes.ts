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
  let at = 0;
  /** An unsigned LEB128 no larger than what is left of the message (every count here is bounded by it). */
  const leb = (): number | undefined => {
    let value = 0;
    for (let shift = 0; shift < 35 && at < msg.length; shift += 7) {
      const byte = msg[at++]!;
      value += (byte & 0x7f) * 2 ** shift;
      if ((byte & 0x80) === 0) return value <= msg.length ? value : undefined;
    }
    return undefined;
  };
  const skipHashes = (): boolean => {
    const n = leb();
    if (n === undefined || at + n * HASH_BYTES > msg.length) return false;
    at += n * HASH_BYTES;
    return true;
  };
  if (!VERSIONS.has(msg[at++] ?? -1)) return undefined;
  if (!skipHashes() || !skipHashes()) return undefined; // heads, need
  const haves = leb();
  if (haves === undefined) return undefined;
  for (let i = 0; i < haves; i++) {
    if (!skipHashes()) return undefined; // last sync
    const bloom = leb();
    if (bloom === undefined || at + bloom > msg.length) return undefined;
    at += bloom;
  }
  return leb();
}
