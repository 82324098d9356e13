import { toBase64Url } from '../core/crypto/encoding.ts';
import { authHeaders } from '../core/protocol/auth.ts';
import { Route, type LibraryListing } from '../core/protocol/routes.ts';
import type { Identity } from '../core/crypto/keys.ts';
import {
  createManifest,
  fetchProgress,
  reassemble,
  validateManifest,
  type FetchProgress,
  type FileAudience,
  type FileManifest,
} from '../core/library/index.ts';
import { fetchFile, sendChunks, type ChunkCache } from '../core/library/client.ts';
import type { LocalDb } from '../platform/db.ts';
import type { AppVault } from './vault.ts';

export interface LibraryFile {
  manifest: FileManifest;
  /** Chunks on this phone. */
  here: FetchProgress;
  /** Chunks the relay holds (null when it does not list the file). */
  relay: FetchProgress | null;
  pinned: boolean;
}

export type Progress = (done: number, total: number) => void;

/** Photos are shrunk on the phone before sharing: the mesh carries what a phone screen needs. */
export async function downscaleImage(file: File, maxSide: number): Promise<{ bytes: Uint8Array; mime: string }> {
  const original = { bytes: new Uint8Array(await file.arrayBuffer()), mime: file.type || 'application/octet-stream' };
  if (!maxSide || !/^image\/(jpeg|png|webp)$/.test(file.type)) return original;
  const bitmap = await createImageBitmap(file);
  const scale = Math.min(1, maxSide / Math.max(bitmap.width, bitmap.height));
  if (scale === 1) return (bitmap.close(), original);
  const canvas = new OffscreenCanvas(Math.round(bitmap.width * scale), Math.round(bitmap.height * scale));
  canvas.getContext('2d')!.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
  bitmap.close();
  const blob = await canvas.convertToBlob({ type: 'image/jpeg', quality: 0.82 });
  const smaller = new Uint8Array(await blob.arrayBuffer());
  return smaller.length < original.bytes.length ? { bytes: smaller, mime: 'image/jpeg' } : original;
}

/**
 * The community library on this phone: files split into content-addressed chunks (one sealed copy per
 * chunk however many files share it), uploaded to the island's relay (which carries them to other
 * islands as low-priority bundles) and fetched from it, every chunk checked against its hash.
 */
export class PhoneLibrary {
  constructor(
    private readonly db: LocalDb,
    private readonly vault: AppVault,
    private readonly me: Identity,
  ) {}

  private async has(): Promise<(hash: string) => boolean> {
    const held = new Set(await this.db.chunks.toCollection().primaryKeys());
    return (h) => held.has(h);
  }

  private async putChunk(hash: string, bytes: Uint8Array): Promise<void> {
    if (await this.db.chunks.get(hash)) return;
    await this.db.chunks.put({ hash, sealed: this.vault.seal(toBase64Url(bytes)), size: bytes.length });
  }

  private async getChunk(hash: string): Promise<Uint8Array | undefined> {
    const row = await this.db.chunks.get(hash);
    if (!row) return undefined;
    const { fromBase64Url } = await import('../core/crypto/encoding.ts');
    return fromBase64Url(this.vault.open<string>(row.sealed));
  }

  /** This phone's chunk store, sealed under the data key, as the library client wants it. */
  private cache: ChunkCache = {
    has: async (h) => (await this.db.chunks.get(h)) !== undefined,
    get: (h) => this.getChunk(h),
    put: (h, bytes) => this.putChunk(h, bytes),
  };

  /**
   * Shares a file: chunks kept here first (nothing lost if the relay is away), then the manifest and
   * only the chunks the relay says it lacks (sharing again after a broken connection sends less).
   */
  async share(bytes: Uint8Array, input: { name: string; mime: string; licence: string; audience: FileAudience }, progress: Progress): Promise<FileManifest> {
    const { manifest, chunks } = createManifest(this.me, input, bytes, Date.now());
    for (let i = 0; i < chunks.length; i++) await this.putChunk(manifest.chunks[i], chunks[i]);
    await this.db.files.put({ id: manifest.id, manifest, pinned: true, added: Date.now() });
    await sendChunks('', fetch, manifest, (i) => chunks[i], progress);
    return manifest;
  }

  /** Files the relay lists plus those kept here, newest first. */
  async list(): Promise<LibraryFile[]> {
    const has = await this.has();
    const byId = new Map<string, LibraryFile>();
    for (const row of await this.db.files.toArray()) byId.set(row.id, { manifest: row.manifest, here: fetchProgress(row.manifest, has), relay: null, pinned: row.pinned });
    const res = await fetch(Route.library, { headers: authHeaders(this.me, { method: 'GET', path: Route.library }), cache: 'no-store' }).catch(() => undefined);
    const listed = res?.ok ? ((await res.json()) as LibraryListing).files : [];
    for (const f of listed) {
      let m: FileManifest;
      try {
        m = validateManifest(f.manifest); // never trust the relay's copy: signature and limits again
      } catch {
        continue;
      }
      const known = byId.get(m.id);
      byId.set(m.id, { manifest: m, here: fetchProgress(m, has), relay: f.progress, pinned: known?.pinned ?? false });
    }
    return [...byId.values()].sort((a, b) => b.manifest.created - a.manifest.created);
  }

  /** Fetches the chunks missing here from the relay; a corrupt one is refused and fetched again next time. */
  async fetch(manifest: FileManifest, progress: Progress): Promise<FetchProgress> {
    await this.db.files.put({ id: manifest.id, manifest, pinned: (await this.db.files.get(manifest.id))?.pinned ?? true, added: Date.now() });
    return fetchFile('', fetch, manifest, this.cache, (p) => progress(p.held, p.total));
  }

  /** The whole file, verified chunk by chunk, or null while any chunk is missing. */
  async open(manifest: FileManifest): Promise<Blob | null> {
    const chunks = new Map<string, Uint8Array>();
    for (const h of new Set(manifest.chunks)) {
      const c = await this.getChunk(h);
      if (c) chunks.set(h, c);
    }
    const r = reassemble(manifest, (h) => chunks.get(h));
    return r.ok ? new Blob([r.bytes as BlobPart], { type: manifest.mime }) : null;
  }

  async pin(id: string, pinned: boolean): Promise<void> {
    await this.db.files.update(id, { pinned });
  }

  /** Drops a file from this phone; chunks another kept file still uses stay. */
  async drop(id: string): Promise<void> {
    await this.db.files.delete(id);
    const used = new Set((await this.db.files.toArray()).flatMap((f) => f.manifest.chunks));
    const stale = (await this.db.chunks.toCollection().primaryKeys()).filter((h) => !used.has(h));
    await this.db.chunks.bulkDelete(stale);
  }

  async spaceUsed(): Promise<number> {
    let bytes = 0;
    await this.db.chunks.each((c) => (bytes += c.size));
    return bytes;
  }
}
