import { createHash } from 'node:crypto';
import path from 'node:path';
import { bundleId, decodeBundle, type Bundle } from '../src/core/dtn/index.ts';
import { utf8 } from '../src/core/crypto/encoding.ts';
import {
  fetchProgress,
  isChunkHash,
  LibraryError,
  MAX_CHUNK_SIZE,
  missingChunks,
  validateManifest,
  DEFAULT_LIMITS,
  type FetchProgress,
  type FileManifest,
  type LibraryLimits,
} from '../src/core/library/index.ts';
import { chunkOfEndpoint, isLibraryManifest, LIBRARY_MANIFEST_ENDPOINT, libraryChunkEndpoint } from '../src/core/protocol/endpoints.ts';
import { PAYLOAD_LIFETIME_MS, PAYLOAD_PRIORITY } from '../src/core/protocol/priority.ts';
import type { DtnNode } from './dtn/node.ts';
import { ChunkFiles } from './library-store.ts';
import type { Logger } from './log.ts';
import { readJson, writeJsonAtomic } from './state-file.ts';
import { Refusal } from './refusal.ts';

/** ~200 KB is the largest manifest core validation allows (4096 hashes); a little room for JSON. */
export const MAX_MANIFEST_BYTES = 256 * 1024;
/** Unfinished uploads one member may have open at once: the bound on bytes they can make us await. */
const MAX_UNFINISHED_PER_AUTHOR = 4;
const MAX_MANIFESTS = 10_000;
/** Ids of carried files dropped for room, so bundles still in the store do not bring them back. */
const MAX_EVICTED_REMEMBERED = 10_000;

/** Same name as core's chunkHash (SHA-256, base64url), with Node's native hash: ~17× faster on a relay. */
const chunkHash = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('base64url');

export class LibraryRefusal extends Refusal {}

const STATUS: Record<string, number> = { 'bad-signature': 401, 'too-large': 413, 'bad-shape': 400 };

function refusalOf(err: unknown): LibraryRefusal {
  if (err instanceof LibraryError) return new LibraryRefusal(STATUS[err.code] ?? 422, err.code, err.message);
  return new LibraryRefusal(400, 'bad-json', 'body is not JSON');
}

export interface LibraryOptions {
  dataDir: string;
  /** Bytes of chunks this relay keeps for its island. */
  budgetBytes: number;
  limits?: LibraryLimits;
  /** Whether an agent may upload here (a member of a community this relay serves). */
  isMember: (agentId: string) => boolean;
  /**
   * How long an unfinished upload keeps its room reserved without a chunk arriving for it (default
   * UPLOAD_RESERVATION_MS). After that its reservation lapses (the manifest stays; the upload can go on
   * while there is room), so uploads never finished cannot hold the island's library full.
   */
  reservationMs?: number;
  now?: () => number;
}

export const UPLOAD_RESERVATION_MS = 10 * 60_000;

export interface LibraryEntry {
  manifest: FileManifest;
  progress: FetchProgress;
  /** Arrived from another island (evictable), rather than shared here (kept). */
  carried: boolean;
}

/**
 * The island's share of the community library. Phones upload a signed manifest, then its chunks;
 * chunks are kept once per hash on disk and carried to other islands as low-priority bundles — one
 * bundle per distinct chunk (`dtn://library/~chunk/<hash>`), originated once, so a contact that is cut
 * resumes where it stopped: the summary vector names the chunk bundles the other side already holds.
 */
export class RelayLibrary {
  private readonly files: ChunkFiles;
  private readonly manifests = new Map<string, FileManifest>();
  private readonly limits: LibraryLimits;
  /** Files that arrived from other islands: the first to go when room is needed. */
  private readonly carried = new Set<string>();
  private evicted = new Set<string>();
  private evictedFiles = 0;
  /** Files shared here -> when the last chunk (or the manifest) came for them: reservations lapse from it. */
  private readonly lastProgress = new Map<string, number>();
  private readonly now: () => number;
  private startedAt = 0;
  /** Bundles being written to the chunk files now: close() waits for them. */
  private readonly taking = new Set<Promise<void>>();
  private closed = false;

  constructor(
    private readonly node: DtnNode,
    private readonly opts: LibraryOptions,
    private readonly log: Logger,
  ) {
    this.files = new ChunkFiles(path.join(opts.dataDir, 'library'));
    this.limits = opts.limits ?? DEFAULT_LIMITS;
    this.now = opts.now ?? Date.now;
  }

  /** An unfinished upload shared here whose reservation has not lapsed (restarts give each a fresh window). */
  private reserving(m: FileManifest, now = this.now()): boolean {
    if (this.carried.has(m.id) || !this.isUnfinished(m)) return false;
    return now - (this.lastProgress.get(m.id) ?? this.startedAt) <= (this.opts.reservationMs ?? UPLOAD_RESERVATION_MS);
  }

  async start(): Promise<void> {
    this.startedAt = this.now();
    this.evicted = new Set((await readJson<string[]>(this.evictedPath)) ?? []);
    for (const { json, carried } of await this.files.open()) {
      try {
        const m = validateManifest(JSON.parse(utf8.decode(json)), this.limits);
        this.manifests.set(m.id, m);
        if (carried) this.carried.add(m.id);
      } catch (err) {
        this.log.warn({ err: String(err) }, 'library: unreadable manifest on disk ignored');
      }
    }
    this.node.on('deliver', (b) => {
      if (this.closed) return;
      const taking: Promise<void> = this.onBundle(b)
        .catch((err) => this.log.warn({ err: String(err) }, 'library: bundle not taken'))
        .finally(() => this.taking.delete(taking));
      this.taking.add(taking);
    });
    // Bundles that reached the store but not the library (a crash in between) are taken now.
    for (const m of this.node.store.list({ where: (m) => isLibraryManifest(m.destination) || this.isMissingChunk(m.destination) })) {
      const bytes = await this.node.store.get(m.id);
      const decoded = bytes && decodeBundle(bytes);
      if (decoded && decoded.ok) await this.onBundle(decoded.bundle).catch(() => undefined);
    }
  }

  /** Takes no more bundles and waits until those being written are on disk. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.taking);
  }

  private get evictedPath(): string {
    return path.join(this.opts.dataDir, 'library', 'evicted.json');
  }

  /** A library-chunk bundle whose chunk is not in the chunk files yet. */
  private isMissingChunk(destination: string): boolean {
    const hash = chunkOfEndpoint(destination);
    return hash !== undefined && !this.files.has(hash);
  }

  private isUnfinished(m: FileManifest): boolean {
    return m.chunks.some((h) => !this.files.has(h));
  }

  /** A phone shares a file: its signed manifest comes first; the answer says which chunks to send. */
  async addManifest(body: Uint8Array): Promise<LibraryEntry & { missing: number[]; created: boolean }> {
    let m: FileManifest;
    try {
      m = validateManifest(JSON.parse(utf8.decode(body)), this.limits);
    } catch (err) {
      throw refusalOf(err);
    }
    if (!this.opts.isMember(m.author)) throw new LibraryRefusal(403, 'not-member', 'only members of a community this relay serves may share files here');
    const known = this.manifests.get(m.id);
    if (known && known.sig !== m.sig) throw new LibraryRefusal(409, 'id-taken', 'another manifest has this id');
    const created = !known;
    if (created) {
      const unfinished = [...this.manifests.values()].filter((x) => x.author === m.author && this.reserving(x)).length;
      if (unfinished >= MAX_UNFINISHED_PER_AUTHOR) throw new LibraryRefusal(429, 'too-many-unfinished', `finish one of your ${unfinished} unfinished uploads first`);
      const needed = new Set(missingChunks(m, (h) => this.files.has(h)).map((i) => m.chunks[i])).size * m.chunkSize;
      if (!(await this.makeRoom(needed, new Set()))) throw new LibraryRefusal(507, 'library-full', 'the island library has no room for this file');
      if (this.manifests.size >= MAX_MANIFESTS) throw new LibraryRefusal(507, 'library-full', 'the island library holds too many files');
      await this.files.saveManifest(m.id, body, false);
      this.manifests.set(m.id, m);
      this.lastProgress.set(m.id, this.now());
      if (m.audience !== 'local') await this.node.originate({ destination: LIBRARY_MANIFEST_ENDPOINT, payload: body, priority: PAYLOAD_PRIORITY.library, audience: m.audience, lifetimeMs: PAYLOAD_LIFETIME_MS.library });
      // Chunks already here (another member shared the same bytes) may still need to travel.
      for (const h of new Set(m.chunks)) if (this.files.has(h)) await this.carry(h);
      this.log.info({ id: m.id, size: m.size, chunks: m.chunks.length }, 'library: file shared');
    }
    const has = (h: string) => this.files.has(h);
    return { manifest: m, progress: fetchProgress(m, has), missing: missingChunks(m, has), created, carried: this.carried.has(m.id) };
  }

  /**
   * Bytes still awaited for files shared here and unfinished: reserved so uploads in progress can
   * finish. Carried files reserve nothing: their chunks are kept only while there is room.
   */
  private pendingBytes(): number {
    const want = new Map<string, number>();
    const now = this.now();
    for (const m of this.manifests.values()) {
      if (!this.reserving(m, now)) continue;
      for (const h of m.chunks) if (!this.files.has(h)) want.set(h, m.chunkSize);
    }
    let sum = 0;
    for (const n of want.values()) sum += n;
    return sum;
  }

  /**
   * A chunk from a phone. Only chunks some manifest here lists are taken (a flood of unlisted chunks
   * stores nothing), and only when their bytes hash to the name they came under.
   */
  async addChunk(hash: string, bytes: Uint8Array): Promise<{ stored: boolean }> {
    if (!isChunkHash(hash)) throw new LibraryRefusal(400, 'bad-hash', 'not a chunk hash');
    const listing = [...this.manifests.values()].filter((m) => m.chunks.includes(hash));
    if (listing.length === 0) throw new LibraryRefusal(409, 'unknown-chunk', 'no manifest here lists this chunk: send the manifest first');
    if (bytes.length > Math.max(...listing.map((m) => m.chunkSize))) throw new LibraryRefusal(413, 'too-large', 'chunk larger than its manifest allows');
    if (chunkHash(bytes) !== hash) throw new LibraryRefusal(422, 'hash-mismatch', 'chunk bytes do not match their hash');
    const stored = await this.files.put(hash, bytes);
    for (const m of listing) if (!this.carried.has(m.id)) this.lastProgress.set(m.id, this.now());
    await this.carry(hash);
    return { stored };
  }

  /**
   * Makes room for `bytes` more by dropping carried files, oldest first (files shared on this island
   * are never dropped: they are the island's pinned share), except those in `keep` and, when
   * `olderThan` is given, any created at or after it (a late old file does not push out newer ones).
   * A dropped file's chunks go unless another file still lists them. False when that is not enough.
   */
  private async makeRoom(bytes: number, keep: ReadonlySet<string>, olderThan = Infinity): Promise<boolean> {
    const over = () => this.files.bytes + this.pendingBytes() + bytes - this.opts.budgetBytes;
    if (over() <= 0) return true;
    const victims = [...this.manifests.values()]
      .filter((m) => this.carried.has(m.id) && !keep.has(m.id) && m.created < olderThan)
      .sort((a, b) => a.created - b.created || (a.id < b.id ? -1 : 1));
    for (const v of victims) {
      if (over() <= 0) break;
      await this.evict(v);
    }
    return over() <= 0;
  }

  private async evict(m: FileManifest): Promise<void> {
    this.manifests.delete(m.id);
    this.carried.delete(m.id);
    this.lastProgress.delete(m.id);
    this.evicted.add(m.id);
    if (this.evicted.size > MAX_EVICTED_REMEMBERED) this.evicted.delete(this.evicted.values().next().value!);
    this.evictedFiles++;
    await this.files.dropManifest(m.id, true);
    for (const h of new Set(m.chunks)) if (![...this.manifests.values()].some((x) => x.chunks.includes(h))) await this.files.drop(h);
    await writeJsonAtomic(this.evictedPath, [...this.evicted]);
    this.log.info({ id: m.id, size: m.size }, 'library: carried file dropped for room');
  }

  /** Originates the chunk's bundle once, unless every manifest listing it stays on this island. */
  private async carry(hash: string): Promise<void> {
    const audiences = [...this.manifests.values()].filter((m) => m.audience !== 'local' && m.chunks.includes(hash)).map((m) => m.audience);
    if (audiences.length === 0) return;
    const destination = libraryChunkEndpoint(hash);
    if (this.node.store.list({ destination, limit: 1 }).length > 0) return;
    const payload = await this.files.get(hash);
    if (!payload) return;
    const audience = audiences.includes('public') ? 'public' : 'trusted';
    await this.node.originate({ destination, payload, priority: PAYLOAD_PRIORITY.library, audience, lifetimeMs: PAYLOAD_LIFETIME_MS.library });
  }

  private async onBundle(b: Bundle): Promise<void> {
    const dest = b.primary.destination;
    if (isLibraryManifest(dest)) return this.onManifestBundle(b);
    const hash = chunkOfEndpoint(dest);
    if (hash === undefined) return;
    const data = b.payload.data;
    if (!isChunkHash(hash) || data.length > MAX_CHUNK_SIZE || this.files.has(hash)) return;
    // Only chunks of a file known here are kept for phones (the bundle store carries the rest on).
    const owners = [...this.manifests.values()].filter((m) => m.chunks.includes(hash));
    if (owners.length === 0) return;
    if (chunkHash(data) !== hash) return void this.log.warn({ id: bundleId(b) }, 'library: chunk bundle does not match its hash; not kept');
    // A chunk of a file shared here may push out any carried file; a carried one only older files.
    const newest = owners.some((m) => !this.carried.has(m.id)) ? Infinity : Math.max(...owners.map((m) => m.created));
    if (!(await this.makeRoom(data.length, new Set(owners.map((m) => m.id)), newest))) return void this.log.warn({ hash }, 'library: full; carried chunk not kept for phones');
    await this.files.put(hash, data);
  }

  private async onManifestBundle(b: Bundle): Promise<void> {
    if (b.payload.data.length > MAX_MANIFEST_BYTES || this.manifests.size >= MAX_MANIFESTS) return;
    let m: FileManifest;
    try {
      m = validateManifest(JSON.parse(utf8.decode(b.payload.data)), this.limits);
    } catch (err) {
      return void this.log.warn({ id: bundleId(b), err: String(err) }, 'library: manifest bundle refused');
    }
    if (this.manifests.has(m.id) || this.evicted.has(m.id)) return;
    await this.files.saveManifest(m.id, b.payload.data, true);
    this.manifests.set(m.id, m);
    this.carried.add(m.id);
    // Chunks that came before their manifest wait in the bundle store: take them now.
    const waiting = new Set(m.chunks.filter((h) => !this.files.has(h)));
    for (const meta of this.node.store.list({ where: (x) => waiting.has(chunkOfEndpoint(x.destination) ?? '') })) {
      const bytes = await this.node.store.get(meta.id);
      const decoded = bytes && decodeBundle(bytes);
      if (decoded && decoded.ok) await this.onBundle(decoded.bundle);
    }
  }

  list(includeTrusted: boolean): LibraryEntry[] {
    const has = (h: string) => this.files.has(h);
    return [...this.manifests.values()]
      .filter((m) => includeTrusted || m.audience !== 'trusted')
      .sort((a, b) => b.created - a.created || (a.id < b.id ? -1 : 1))
      .map((manifest) => ({ manifest, progress: fetchProgress(manifest, has), carried: this.carried.has(manifest.id) }));
  }

  entry(id: string): (LibraryEntry & { missing: number[] }) | undefined {
    const m = this.manifests.get(id);
    if (!m) return undefined;
    const has = (h: string) => this.files.has(h);
    return { manifest: m, progress: fetchProgress(m, has), missing: missingChunks(m, has), carried: this.carried.has(m.id) };
  }

  chunk(hash: string): Promise<Uint8Array | undefined> {
    return isChunkHash(hash) ? this.files.get(hash) : Promise.resolve(undefined);
  }

  status() {
    const chunkBundles = this.node.store.list({ where: (m) => chunkOfEndpoint(m.destination) !== undefined }).length;
    return { files: this.manifests.size, chunks: this.files.count, bytes: this.files.bytes, budgetBytes: this.opts.budgetBytes, chunkBundles, carriedFiles: this.carried.size, evictedFiles: this.evictedFiles };
  }
}
