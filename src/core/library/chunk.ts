import { chunkHash } from './hash.ts';

/**
 * Fixed 256 KiB chunks. Content-defined chunking pays off when files are edited and shared again; a
 * community library shares finished files (manuals, maps, photos), so fixed chunks give the same dedup
 * for identical files, cost no rolling hash, and let a receiver check a chunk's length from its index.
 * 256 KiB keeps a 25 MB file at ~100 bundles (little per-bundle overhead) while a cut contact loses at
 * most one chunk in flight.
 */
export const CHUNK_SIZE = 256 * 1024;
export const MIN_CHUNK_SIZE = 4 * 1024;
export const MAX_CHUNK_SIZE = 1024 * 1024;
/** Keeps a manifest under ~200 KB whatever chunk size and file limit a community picks. */
export const MAX_CHUNKS = 4096;

export function chunkCount(size: number, chunkSize: number): number {
  return Math.ceil(size / chunkSize);
}

/** Length of chunk `index` of a file of `size` bytes. */
export function chunkLength(size: number, chunkSize: number, index: number): number {
  return Math.max(0, Math.min(chunkSize, size - index * chunkSize));
}

export interface Chunked {
  hashes: string[];
  /** Views into the file's bytes: no copy. */
  chunks: Uint8Array[];
}

export function splitFile(bytes: Uint8Array, chunkSize = CHUNK_SIZE): Chunked {
  const hashes: string[] = [];
  const chunks: Uint8Array[] = [];
  for (let at = 0; at < bytes.length; at += chunkSize) {
    const c = bytes.subarray(at, Math.min(bytes.length, at + chunkSize));
    chunks.push(c);
    hashes.push(chunkHash(c));
  }
  return { hashes, chunks };
}
