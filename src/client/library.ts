import { toBase64Url } from '../core/crypto/encoding.ts';
import { authHeaders } from '../core/protocol/auth.ts';
import { Route, type LibraryListing } from '../core/protocol/routes.ts';
import type { Identity } from '../core/crypto/keys.ts';
import {
  createManifest,
  createSealedManifest,
  fetchProgress,
  openManifest,
  plainBytes,
  reassemble,
  validateManifest,
  type FetchProgress,
  type FileAudience,
  type FileFacts,
  type FileManifest,
} from '../core/library/index.ts';
import type { Keyring } from '../core/audience/types.ts';
import { fetchFile, sendChunks, type ChunkCache } from '../core/library/client.ts';
import type { LocalStore } from './local-store.ts';
import { UserError } from './errors.ts';
import type { RelayHttp } from './ports.ts';
import type { PhoneVault } from './vault.ts';

export interface LibraryFile {
  manifest: FileManifest;
  /** Name, type and licence (and a sealed file's key); null: sealed, and this phone holds no key that opens it. */
  facts: FileFacts | null;
  /** Chunks on this phone. */
  here: FetchProgress;
  /** Chunks the relay holds (null when it does not list the file). */
  relay: FetchProgress | null;
  pinned: boolean;
}

export type Progress = (done: number, total: number) => void;

/** The members' keys, as sealed files need them (client/members-key.ts). */
export interface LibraryKeys {
  /** What this phone holds now (for reading). */
  current(): Keyring;
  /** Once a first key had its chance to arrive (what sharing a members-only file waits for). */
  settled(): Promise<Keyring>;
}

/**
 * The community library on this phone: files split into content-addressed chunks (one sealed copy per
 * chunk however many files share it), uploaded to the island's relay (which carries them to other
 * islands as low-priority bundles) and fetched from it, every chunk checked against its hash.
 */
export class PhoneLibrary {
  constructor(
    private readonly db: LocalStore,
    private readonly vault: PhoneVault,
    private readonly me: Identity,
    private readonly relay: RelayHttp,
    /** The organisers' signed largest-file limit in bytes, if they set one. */
    private readonly communityMaxBytes: () => number | undefined = () => undefined,
    private readonly keys: LibraryKeys = { current: () => new Map(), settled: async () => new Map() },
  ) {}

  /** What this phone can know of a file (a sealed one opens only with the members' key of its epoch). */
  facts(m: FileManifest): FileFacts | null {
    const o = openManifest(m, this.keys.current());
    return o.ok ? o.facts : null;
  }

  private async has(): Promise<(hash: string) => boolean> {
    const held = new Set(await this.db.chunks.hashes());
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
   * only the chunks the relay says it lacks (sharing again after a broken connection sends less). A file
   * not for everyone is sealed to the members first (core/library/sealed-manifest.ts): what leaves the
   * phone is ciphertext and a sealed box.
   */
  async share(bytes: Uint8Array, input: { name: string; mime: string; licence: string; audience: FileAudience }, progress: Progress): Promise<{ manifest: FileManifest; facts: FileFacts }> {
    const max = this.communityMaxBytes();
    // The limit in the words organisers set it (whole megabytes), so the person knows what would fit.
    if (max !== undefined && bytes.length > max) throw new UserError('library.overCommunityLimit', { mb: Math.round((max / 1024 / 1024) * 10) / 10 });
    const { manifest, chunks, facts } = input.audience === 'public' ? { ...createManifest(this.me, input, bytes, Date.now()), facts: { name: input.name.trim(), mime: input.mime, licence: input.licence, secret: null } } : await this.sealed(bytes, input);
    for (let i = 0; i < chunks.length; i++) await this.putChunk(manifest.chunks[i], chunks[i]);
    await this.db.files.put({ id: manifest.id, manifest, pinned: true, added: Date.now() });
    await sendChunks(this.relay.base, this.relay.fetch, manifest, (i) => chunks[i], progress);
    return { manifest, facts };
  }

  private async sealed(bytes: Uint8Array, input: { name: string; mime: string; licence: string; audience: FileAudience }) {
    const keyring = await this.keys.settled();
    if (keyring.size === 0) throw new UserError('sealedFiles.noKey');
    return createSealedManifest(this.me, input, bytes, Date.now(), keyring);
  }

  /** Files the relay lists plus those kept here, newest first. */
  async list(): Promise<LibraryFile[]> {
    const has = await this.has();
    const byId = new Map<string, LibraryFile>();
    for (const row of await this.db.files.all()) byId.set(row.id, { manifest: row.manifest, facts: this.facts(row.manifest), here: fetchProgress(row.manifest, has), relay: null, pinned: row.pinned });
    const res = await this.relay.fetch(this.relay.base + Route.library, { headers: authHeaders(this.me, { method: 'GET', path: Route.library }), cache: 'no-store' }).catch(() => undefined);
    const listed = res?.ok ? ((await res.json()) as LibraryListing).files : [];
    for (const f of listed) {
      let m: FileManifest;
      try {
        m = validateManifest(f.manifest); // never trust the relay's copy: signature and limits again
      } catch {
        continue;
      }
      const known = byId.get(m.id);
      byId.set(m.id, { manifest: m, facts: known && known.manifest.sig === m.sig ? known.facts : this.facts(m), here: fetchProgress(m, has), relay: f.progress, pinned: known?.pinned ?? false });
    }
    return [...byId.values()].sort((a, b) => b.manifest.created - a.manifest.created);
  }

  /** Fetches the chunks missing here from the relay; a corrupt one is refused and fetched again next time. */
  async fetch(manifest: FileManifest, progress: Progress): Promise<FetchProgress> {
    await this.db.files.put({ id: manifest.id, manifest, pinned: (await this.db.files.get(manifest.id))?.pinned ?? true, added: Date.now() });
    return fetchFile(this.relay.base, this.relay.fetch, manifest, this.cache, (p) => progress(p.held, p.total));
  }

  /**
   * The whole file, verified chunk by chunk and (sealed) decrypted, or null while any chunk is missing.
   * Throws UserError when this phone cannot open it: no key for a sealed file, or bytes that do not decrypt.
   */
  async open(manifest: FileManifest): Promise<Blob | null> {
    const facts = this.facts(manifest);
    if (!facts) throw new UserError('sealedFiles.locked');
    const chunks = new Map<string, Uint8Array>();
    for (const h of new Set(manifest.chunks)) {
      const c = await this.getChunk(h);
      if (c) chunks.set(h, c);
    }
    const r = reassemble(manifest, (h) => chunks.get(h));
    if (!r.ok) return null;
    const plain = plainBytes(facts, r.bytes);
    if (!plain) throw new UserError('sealedFiles.damaged');
    return new Blob([plain as BlobPart], { type: facts.mime });
  }

  async pin(id: string, pinned: boolean): Promise<void> {
    await this.db.files.setPinned(id, pinned);
  }

  /** Drops a file from this phone; chunks another kept file still uses stay. */
  async drop(id: string): Promise<void> {
    await this.db.files.delete(id);
    const used = new Set((await this.db.files.all()).flatMap((f) => f.manifest.chunks));
    const stale = (await this.db.chunks.hashes()).filter((h) => !used.has(h));
    await this.db.chunks.delete(stale);
  }

  async spaceUsed(): Promise<number> {
    return this.db.chunks.totalSize();
  }
}
