import type { Identity } from '../crypto/keys.ts';
import { createManifest, type FileInput } from './manifest.ts';
import { checkChunk, fetchProgress } from './reassemble.ts';
import type { FetchProgress, FileManifest, LibraryLimits } from './types.ts';
import { DEFAULT_LIMITS } from './types.ts';
import { libraryChunkPath, Route } from '../protocol/routes.ts';
import { CodedError } from '../errors/coded-error.ts';

/** `fetch` or anything shaped like it (the PWA passes window.fetch, tests pass Node's). */
export type FetchLike = (url: string, init?: { method?: string; body?: Uint8Array<ArrayBuffer> | string; headers?: Record<string, string> }) => Promise<{ status: number; ok: boolean; json(): Promise<unknown>; arrayBuffer(): Promise<ArrayBuffer> }>;

/** Where a device keeps chunks by hash (IndexedDB in the PWA, a Map in tests). */
export interface ChunkCache {
  has(hash: string): boolean | Promise<boolean>;
  get(hash: string): Uint8Array | undefined | Promise<Uint8Array | undefined>;
  put(hash: string, bytes: Uint8Array): void | Promise<void>;
}

/** A refusal from the relay, with its HTTP status and machine-readable code. */
export class LibraryHttpError extends CodedError<string> {
  override name = 'LibraryHttpError';
  constructor(
    readonly status: number,
    code: string,
    message: string,
  ) {
    super(code, message);
  }
}

async function refusal(res: { status: number; json(): Promise<unknown> }): Promise<LibraryHttpError> {
  const body = (await res.json().catch(() => ({}))) as { error?: string; code?: string };
  return new LibraryHttpError(res.status, body.code ?? 'http', body.error ?? `relay answered ${res.status}`);
}

/**
 * Shares a file through the island's relay: signs the manifest, sends it, then only the chunks the
 * relay lacks (so sharing again after a broken connection, or a file someone else shared, sends less).
 */
export async function shareFile(relay: string, f: FetchLike, me: Identity, input: FileInput, bytes: Uint8Array, now: number, onProgress?: (sent: number, total: number) => void, limits: LibraryLimits = DEFAULT_LIMITS): Promise<{ manifest: FileManifest; sent: number }> {
  const { manifest, chunks } = createManifest(me, input, bytes, now, limits);
  return { manifest, sent: await sendChunks(relay, f, manifest, (i) => chunks[i], onProgress) };
}

/** Sends a manifest and the chunks the relay says it lacks; returns how many chunks were sent. */
export async function sendChunks(relay: string, f: FetchLike, manifest: FileManifest, chunk: (index: number) => Uint8Array, onProgress?: (sent: number, total: number) => void): Promise<number> {
  const res = await f(`${relay}${Route.libraryManifests}`, { method: 'POST', body: JSON.stringify(manifest), headers: { 'content-type': 'application/json' } });
  if (!res.ok) throw await refusal(res);
  const { missing } = (await res.json()) as { missing: number[] };
  // A chunk used twice in the file (say, blank pages) is listed twice but sent once.
  const todo = [...new Map(missing.map((i) => [manifest.chunks[i], i])).values()];
  let sent = 0;
  for (const i of todo) {
    const put = await f(`${relay}${libraryChunkPath(manifest.chunks[i])}`, { method: 'PUT', body: chunk(i) as Uint8Array<ArrayBuffer> });
    if (!put.ok) throw await refusal(put);
    sent++;
    onProgress?.(sent, todo.length);
  }
  return sent;
}

/**
 * Fetches into `cache` every chunk of the file the device lacks and the relay holds, each verified
 * before it is kept (a corrupt chunk is not kept and is asked for again next time). Returns the
 * progress afterwards; `done` when the whole file is on the device.
 */
export async function fetchFile(relay: string, f: FetchLike, manifest: FileManifest, cache: ChunkCache, onProgress?: (p: FetchProgress) => void): Promise<FetchProgress> {
  const held = new Set<string>();
  for (const h of manifest.chunks) if (await cache.has(h)) held.add(h);
  for (let i = 0; i < manifest.chunks.length; i++) {
    const hash = manifest.chunks[i];
    if (held.has(hash)) continue;
    const res = await f(`${relay}${libraryChunkPath(hash)}`);
    if (res.status === 404) continue; // not on this island yet
    if (!res.ok) throw await refusal(res);
    const bytes = new Uint8Array(await res.arrayBuffer());
    try {
      checkChunk(manifest, i, bytes);
    } catch {
      continue;
    }
    await cache.put(hash, bytes);
    held.add(hash);
    onProgress?.(fetchProgress(manifest, (h) => held.has(h)));
  }
  return fetchProgress(manifest, (h) => held.has(h));
}
