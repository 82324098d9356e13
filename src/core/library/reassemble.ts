import { chunkLength } from './chunk.ts';
import { LibraryError } from './errors.ts';
import { chunkHash } from './hash.ts';
import type { FetchProgress, FileManifest } from './types.ts';

/** Throws unless `bytes` is chunk `index` of the file: right hash, right length. */
export function checkChunk(m: FileManifest, index: number, bytes: Uint8Array): void {
  if (bytes.length !== chunkLength(m.size, m.chunkSize, index)) throw new LibraryError('hash-mismatch', `chunk ${index} has ${bytes.length} bytes, not ${chunkLength(m.size, m.chunkSize, index)}`);
  if (chunkHash(bytes) !== m.chunks[index]) throw new LibraryError('hash-mismatch', `chunk ${index} does not match its hash`);
}

export type Reassembly = { ok: true; bytes: Uint8Array } | { ok: false; missing: number[]; corrupt: number[] };

/**
 * Puts the file together from chunks looked up by hash, verifying every one. Chunks that are absent
 * or fail their hash are listed by index so the caller drops the bad ones and fetches both again.
 */
export function reassemble(m: FileManifest, get: (hash: string) => Uint8Array | undefined): Reassembly {
  const out = new Uint8Array(m.size);
  const missing: number[] = [];
  const corrupt: number[] = [];
  m.chunks.forEach((hash, i) => {
    const bytes = get(hash);
    if (!bytes) return void missing.push(i);
    try {
      checkChunk(m, i, bytes);
    } catch {
      return void corrupt.push(i);
    }
    out.set(bytes, i * m.chunkSize);
  });
  return missing.length || corrupt.length ? { ok: false, missing, corrupt } : { ok: true, bytes: out };
}

/** Chunks (and bytes) of the file already here, counting a chunk used twice in the file twice. */
export function fetchProgress(m: FileManifest, has: (hash: string) => boolean): FetchProgress {
  let held = 0;
  let bytesHeld = 0;
  m.chunks.forEach((hash, i) => {
    if (!has(hash)) return;
    held++;
    bytesHeld += chunkLength(m.size, m.chunkSize, i);
  });
  return { held, total: m.chunks.length, bytesHeld, bytesTotal: m.size, done: held === m.chunks.length };
}

/** Indices of the chunks still to fetch, in file order. */
export function missingChunks(m: FileManifest, has: (hash: string) => boolean): number[] {
  return m.chunks.flatMap((hash, i) => (has(hash) ? [] : [i]));
}
