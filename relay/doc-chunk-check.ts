import { createHash } from 'node:crypto';
import { inflateRawSync } from 'node:zlib';
import { free, init, loadIncremental } from '@automerge/automerge';
import type { StorageKey } from '@automerge/automerge-repo';

/** The chunk kinds automerge-repo loads a document from (`[docId, kind, hash]`). */
const DOC_DATA = new Set(['snapshot', 'incremental']);

/** Whether `prefix` is one automerge-repo loads a document's data under (`[docId, 'snapshot' | 'incremental']`). */
export function isDocDataPrefix(prefix: StorageKey): boolean {
  return prefix.length === 2 && DOC_DATA.has(prefix[1]!);
}

// The Automerge binary format (automerge.org/automerge-binary-format-spec): a file is a run of chunks,
// each magic bytes, a 4-byte checksum, a type byte, a ULEB128 length and the contents. The checksum is
// the first 4 bytes of SHA-256 over type, length and contents; a compressed change chunk (type 2) carries
// the checksum of the change it inflates to (type 1).
const MAGIC = [0x85, 0x6f, 0x4a, 0x83];
const CHANGE = 1;
const COMPRESSED = 2;
/** A compressed change inflating past this is not checked by its header (a deflate bomb stays small here). */
const MAX_INFLATED = 64 * 1024 * 1024;

function uleb(bytes: Uint8Array, at: number): { value: number; next: number } | undefined {
  let value = 0;
  for (let i = 0; i < 8 && at + i < bytes.length; i++) {
    value += (bytes[at + i]! & 0x7f) * 2 ** (7 * i);
    if ((bytes[at + i]! & 0x80) === 0) return { value, next: at + i + 1 };
  }
  return undefined;
}

function ulebBytes(n: number): Uint8Array {
  const out: number[] = [];
  do {
    const low = n % 128;
    n = Math.floor(n / 128);
    out.push(n > 0 ? low | 0x80 : low);
  } while (n > 0);
  return Uint8Array.from(out);
}

/** Whether every chunk header in `data` holds: magic, a length inside the data, and its checksum. */
export function chunkHeadersHold(data: Uint8Array): boolean {
  let at = 0;
  while (at < data.length) {
    if (data.length - at < 10 || MAGIC.some((m, i) => data[at + i] !== m)) return false;
    const type = data[at + 8]!;
    const len = uleb(data, at + 9);
    if (!len || len.next + len.value > data.length) return false;
    const end = len.next + len.value;
    const sha = createHash('sha256');
    if (type === COMPRESSED) {
      let change: Uint8Array;
      try {
        change = inflateRawSync(data.subarray(len.next, end), { maxOutputLength: MAX_INFLATED });
      } catch {
        return false;
      }
      sha.update(Uint8Array.of(CHANGE)).update(ulebBytes(change.length)).update(change);
    } else sha.update(data.subarray(at + 8, end));
    const sum = sha.digest();
    for (let i = 0; i < 4; i++) if (sum[i] !== data[at + 4 + i]) return false;
    at = end;
  }
  return true;
}

/**
 * Whether one stored chunk of a document is whole. automerge-repo loads a document from all its chunks at
 * once: one damaged chunk (a bad sector, a half-written file, bytes changed on a seized disk) throws there,
 * and the document then stays "loading" for good — phones and bridges can never give it back.
 *
 * The chunk headers' checksums are the check (a SHA-256 pass: loading each chunk in Automerge first cost a
 * third more on every load from disk, bench/doc-load.ts). A chunk they fail is parsed by Automerge itself
 * before it is called damaged, so a header this walk misreads never costs a good chunk. What the checksums
 * cannot see — columns forged with valid checksums by someone who wrote the disk — is left to Automerge's
 * own load.
 */
export function chunkIsWhole(data: Uint8Array): boolean {
  if (chunkHeadersHold(data)) return true;
  try {
    free(loadIncremental(init(), data));
    return true;
  } catch {
    return false;
  }
}
