import path from 'node:path';
import type { Chunk, StorageAdapterInterface, StorageKey } from '@automerge/automerge-repo';
import { NodeFSStorageAdapter } from '@automerge/automerge-repo-storage-nodefs';
import { ioError } from './dtn/store/errors.ts';
import { nodeFsOps, type FsOps } from './dtn/store/fs-ops.ts';
import { isTempName, tempName } from './dtn/store/paths.ts';
import type { StoreLogger } from './dtn/store/types.ts';
import { WriteHealth } from './dtn/store/write-health.ts';
import { chunkIsWhole, isDocDataPrefix } from './doc-chunk-check.ts';

export interface DocStorageOptions {
  logger: StoreLogger;
  /** First retry after a failed write; doubles up to a minute. */
  probeMs?: number;
  /** File operations (tests simulate a full or failing disk here). */
  fs?: FsOps;
}

/** What `/api/status` shows of the document storage, in the bundle store's shape (`dtn.store.state`). */
export interface DocStorageStatus {
  state: 'ok' | 'read-only';
  readOnlyReason?: string;
  /** Chunks held in memory until the disk takes them. */
  pendingChunks: number;
  /** Damaged chunks found on disk and set aside since the relay started (`<data dir>/repo.quarantine`). */
  quarantinedChunks: number;
}

const keyOf = (key: StorageKey): string => JSON.stringify(key);
const under = (prefix: StorageKey, key: StorageKey): boolean => prefix.every((p, i) => key[i] === p);

/**
 * automerge-repo's document storage on the relay's disk, made to survive a full or failing disk. It
 * keeps the nodefs adapter's layout and reads with it (existing data dirs load as before), but writes
 * each chunk to a temp file beside the tree and renames it into place.
 *
 * automerge-repo saves from a throttled callback whose promise nobody awaits: a save that rejects is an
 * unhandled rejection, and the nodefs adapter's own failed write leaves a truncated chunk (or truncates a
 * good one written twice) that breaks loading the doc at the next start. Here a failed save leaves the
 * tree untouched, keeps the chunk in memory, resolves, and turns the storage read-only (the bundle store's WriteHealth): every later save is held
 * in memory too, loads see the held chunks, and a chunk's removal (automerge-repo compacting a doc) waits
 * until everything held is on disk, so the disk always holds a complete copy of every doc as it was last
 * written. The held chunks themselves are the probe: once one writes, all are written and the mode ends.
 * The held chunks stay bounded by the docs themselves (compaction replaces them), and the relay refuses
 * phones' changes meanwhile (ws-adapter.ts).
 */
export class DocStorage implements StorageAdapterInterface {
  /**
   * Every chunk saved by this process, as the nodefs adapter keeps them (so memory use is as before, and
   * ranges list chunks in the order they were saved); `pending` is the part not on disk yet.
   */
  private readonly cache = new Map<string, { key: StorageKey; data: Uint8Array }>();
  private readonly pending = new Map<string, { key: StorageKey; data: Uint8Array }>();
  private readonly removals = new Map<string, StorageKey>();
  private readonly health: WriteHealth;
  private draining: Promise<void> = Promise.resolve();
  private readonly inner: NodeFSStorageAdapter;
  private readonly fs: FsOps;
  /** Temp files live outside the tree: nodefs loads every file under a doc's folder as a chunk. */
  private readonly tmpDir: string;
  /** Damaged chunks are moved here, outside the tree for the same reason. */
  private readonly quarantineDir: string;
  /** Chunks on disk checked whole since the start (each is checked once: its key names its content). */
  private readonly checked = new Set<string>();
  private quarantined = 0;
  private prepared?: Promise<void>;

  constructor(
    private readonly baseDir: string,
    private readonly o: DocStorageOptions,
  ) {
    this.inner = new NodeFSStorageAdapter(baseDir);
    this.fs = o.fs ?? nodeFsOps;
    this.tmpDir = `${baseDir}.tmp`;
    this.quarantineDir = `${baseDir}.quarantine`;
    const probeMs = o.probeMs ?? 1000;
    this.health = new WriteHealth({ what: 'document store', probe: () => this.writeHeld(), onWritable: () => this.drainSoon(), logger: o.logger, baseMs: probeMs, maxMs: Math.max(probeMs, 60_000) });
  }

  get readOnly(): boolean {
    return this.health.readOnly;
  }

  status(): DocStorageStatus {
    return { state: this.health.readOnly ? 'read-only' : 'ok', ...(this.health.readOnly ? { readOnlyReason: this.health.why } : {}), pendingChunks: this.pending.size, quarantinedChunks: this.quarantined };
  }

  async load(key: StorageKey): Promise<Uint8Array | undefined> {
    const k = keyOf(key);
    const cached = this.cache.get(k);
    if (cached) return cached.data;
    if (this.removals.has(k)) return undefined;
    return this.inner.load(key);
  }

  async loadRange(prefix: StorageKey): Promise<Chunk[]> {
    const cached = [...this.cache.values()].filter((c) => under(prefix, c.key)).map((c) => ({ key: c.key, data: c.data }));
    const onDisk = (await this.inner.loadRange(prefix)).filter((c) => !this.removals.has(keyOf(c.key)) && !this.cache.has(keyOf(c.key)));
    return [...cached, ...(isDocDataPrefix(prefix) ? await this.whole(onDisk) : onDisk)];
  }

  /**
   * A document's chunks from disk without the damaged ones, which are moved aside with a warning. The
   * document then loads from the rest; phones and bridges that hold it give back the changes it lost (sync
   * sends what the relay lacks). Chunks saved by this process were never read from disk: not checked.
   */
  private async whole(chunks: Chunk[]): Promise<Chunk[]> {
    const out: Chunk[] = [];
    for (const c of chunks) {
      const k = keyOf(c.key);
      if (!c.data || this.checked.has(k) || chunkIsWhole(c.data)) {
        this.checked.add(k);
        out.push(c);
        continue;
      }
      await this.setAside(c.key, 'damaged');
    }
    return out;
  }

  /**
   * Moves a damaged chunk out of the tree, with a warning, and counts it: found here by its Automerge
   * checksums, or, on a sealed data dir, by the layer above that could not open it (src/core/vault's
   * EncryptedStorageAdapter: the ciphertext's authentication failed). Left in place it would be read, and
   * found damaged, at every start; and automerge-repo would never compact it away (it removes only chunks
   * it loaded).
   */
  async setAside(key: StorageKey, why: string): Promise<void> {
    this.quarantined++;
    const aside = path.join(this.quarantineDir, key.join('.'));
    const moved = await this.fs
      .mkdirp(this.quarantineDir)
      .then(() => this.fs.rename(this.fileOf(key), aside))
      .then(() => true, () => false);
    this.o.logger.warn({ key, why, movedTo: moved ? aside : undefined }, 'document store: a damaged chunk was set aside; the document loads without it, and phones or bridges that hold it bring its changes back');
  }

  async save(key: StorageKey, data: Uint8Array): Promise<void> {
    const k = keyOf(key);
    this.removals.delete(k);
    this.cache.set(k, { key, data });
    // Held chunks go first: a chunk written past them could make the disk's copy depend on one it lacks.
    if (this.health.readOnly || this.pending.size > 0) {
      this.pending.set(k, { key, data });
      if (!this.health.readOnly) this.drainSoon();
      return;
    }
    try {
      await this.write(key, data);
    } catch (err) {
      this.pending.set(k, { key, data });
      this.health.failed(ioError('document save', err));
    }
  }

  async remove(key: StorageKey): Promise<void> {
    const k = keyOf(key);
    this.pending.delete(k);
    this.cache.delete(k);
    // automerge-repo removes a doc's old chunks right after saving the snapshot that replaces them: while
    // that snapshot is only in memory, the old chunks are the disk's copy of the doc and must stay.
    if (this.health.readOnly || this.pending.size > 0) return void this.removals.set(k, key);
    await this.inner.remove(key).catch((err) => this.o.logger.warn({ err: String(err), key }, 'document store: could not remove a chunk (it only takes space)'));
  }

  async removeRange(prefix: StorageKey): Promise<void> {
    // A whole doc deleted: nothing of it is wanted, on disk or held.
    for (const [k, p] of this.pending) if (under(prefix, p.key)) this.pending.delete(k);
    for (const [k, c] of this.cache) if (under(prefix, c.key)) this.cache.delete(k);
    for (const [k, key] of this.removals) if (under(prefix, key)) this.removals.delete(k);
    await this.inner.removeRange(prefix);
  }

  /** Writes what is held once more before the relay closes; says how much could not be written. */
  async close(): Promise<void> {
    this.health.stop();
    if (this.pending.size === 0 && this.removals.size === 0) return;
    try {
      await this.writeHeld();
    } catch (err) {
      this.o.logger.warn({ err: String(err), pendingChunks: this.pending.size }, 'document store: closing with changes the disk would not take (phones still hold them)');
    }
  }

  /** Chunks held after the mode ended (saved between the last probe and its end): written in turn. */
  private drainSoon(): void {
    if (this.pending.size === 0 && this.removals.size === 0) return;
    this.draining = this.draining
      .then(() => this.writeHeld())
      .catch((err: unknown) => this.health.failed(ioError('document save', err)));
  }

  /** Every held chunk in the order it came, then the removals they allow. Rejects at the first failure. */
  private async writeHeld(): Promise<void> {
    // Bounded: each pass writes what was held when it began; saves arriving meanwhile are few.
    for (let pass = 0; pass < 100 && this.pending.size > 0; pass++) {
      for (const [k, { key, data }] of [...this.pending]) {
        if (this.pending.get(k)?.data !== data) continue; // replaced or removed meanwhile
        await this.write(key, data);
        if (this.pending.get(k)?.data === data) this.pending.delete(k);
      }
    }
    if (this.pending.size > 0) throw new Error('document store: changes kept arriving while held chunks were written');
    for (const [k, key] of [...this.removals]) {
      this.removals.delete(k);
      await this.inner.remove(key).catch((err) => this.o.logger.warn({ err: String(err), key }, 'document store: could not remove a chunk (it only takes space)'));
    }
  }

  /** The chunk whole at its nodefs path, or (on any failure) nothing there changed. */
  private async write(key: StorageKey, data: Uint8Array): Promise<void> {
    this.prepared ??= this.prepare();
    await this.prepared;
    const file = this.fileOf(key);
    const tmp = path.join(this.tmpDir, tempName());
    try {
      await this.fs.mkdirp(path.dirname(file));
      // Not fsynced, like the nodefs adapter's own writes: a chunk must survive the relay being killed.
      await this.fs.writeDurable(tmp, [data], false);
      await this.fs.rename(tmp, file);
    } catch (err) {
      await this.fs.unlink(tmp).catch(() => undefined);
      throw err;
    }
  }

  /** Where the nodefs adapter keeps a chunk: the key's first part split after two characters. */
  private fileOf(key: StorageKey): string {
    const [first, ...rest] = key;
    return path.join(this.baseDir, first.slice(0, 2), first.slice(2), ...rest);
  }

  /** The temp folder, emptied of what a relay killed mid-write left there. */
  private async prepare(): Promise<void> {
    try {
      await this.fs.mkdirp(this.tmpDir);
      for (const name of await this.fs.readdir(this.tmpDir)) if (isTempName(name)) await this.fs.unlink(path.join(this.tmpDir, name)).catch(() => undefined);
    } catch (err) {
      this.prepared = undefined; // tried again with the next write
      throw err;
    }
  }
}
