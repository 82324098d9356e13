import { join } from 'node:path';
import { errnoOf, ioError, StoreError } from './errors.ts';
import { planEviction } from './evict.ts';
import type { FsOps } from './fs-ops.ts';
import { Journal, JOURNAL_MAX_RECORD, type Segment } from './journal.ts';
import { metaProblem } from './meta.ts';
import { fileNameFor, QUARANTINE_DIR, tempName } from './paths.ts';
import { quarantine, type QuarantineCtx } from './quarantine.ts';
import { decodeRecord, encodeRecord, RecordError } from './record.ts';
import { scanDir, type Entry } from './scan.ts';
import { takeSnapshot, writeSnapshot } from './index-snapshot.ts';
import { verifyPass, type VerifyOutcome } from './verify-pass.ts';
import { countEntries } from './stats.ts';
import { probeFile, WriteHealth } from './write-health.ts';
import { DEFAULT_BYTE_BUDGET, resolveOptions, type ResolvedOptions, type StoreOptions } from './options.ts';
import type { BundleMeta, ListFilter, PutResult, StoreLogger, StoreStats } from './types.ts';
import { Sweeper } from './sweeper.ts';
import { LiveView } from './live-view.ts';

export { DEFAULT_BYTE_BUDGET, type StoreOptions };

/**
 * Durable bundle store: one file per bundle, indexed in memory by id, expired by lifetime, bounded by
 * a byte budget with eviction by priority then age. A put resolves only once its bytes are durable:
 * in the journal (group commit, see journal.ts) for small bundles, fsynced in place for large ones.
 */
export class BundleStore {
  private readonly index = new Map<string, Entry>();
  private readonly live: LiveView;
  private readonly inflight = new Map<string, Promise<PutResult>>();
  private readonly unlinking = new Set<Promise<void>>();
  private readonly ops = new Set<Promise<unknown>>();
  private bytes = 0;
  /** bytes of puts being written: on disk (or about to be) but not in the index yet */
  private reserved = 0;
  /** bytes of files that should be gone but whose unlink failed */
  private stranded = 0;
  private closed = false;
  private readonly sweeper = new Sweeper(
    () => this.sweepExpired(),
    (err) => this.logger.warn({ err: String(err) }, 'bundle store: sweep failed'),
  );
  readonly byteBudget: number;
  private readonly high: number;
  private readonly low: number;
  private readonly fs: FsOps;
  private readonly logger: StoreLogger;
  private readonly now: () => number;
  /** see ResolvedOptions.headroom */
  private readonly headroom: number;
  private readonly qctx: QuarantineCtx;
  private readonly health: WriteHealth;
  private journal!: Journal;
  private verifying: Promise<VerifyOutcome> = Promise.resolve({ checked: 0, quarantined: 0, corrected: 0 });
  /** whether the last put of each kind was refused for room */
  private readonly full = { received: false, local: false };
  private readonly refusedFull = { received: 0, local: 0 };

  private constructor(
    readonly dir: string,
    o: ResolvedOptions,
  ) {
    ({ byteBudget: this.byteBudget, high: this.high, low: this.low, headroom: this.headroom, fs: this.fs, logger: this.logger, now: this.now } = o);
    this.live = new LiveView(this.index, o.now);
    this.qctx = { fs: o.fs, dir, logger: o.logger, now: o.now, maxBytes: o.byteBudget - o.high };
    this.health = new WriteHealth({ what: 'bundle store', probe: probeFile(o.fs, dir), logger: o.logger, baseMs: o.probeMs, maxMs: Math.max(o.probeMs, 60_000) });
  }

  static async open(dir: string, opts: StoreOptions = {}): Promise<BundleStore> {
    const store = new BundleStore(dir, resolveOptions(opts));
    await store.load();
    return store;
  }

  private async load(): Promise<void> {
    try {
      await this.fs.mkdirp(join(this.dir, QUARANTINE_DIR));
      // Replay first: a record there may be the only good copy of a file the scan would quarantine.
      // Journal segments count against the budget: keep one small next to a small budget.
      const segmentBytes = Math.min(4 * 1024 * 1024, Math.max(64 * 1024, Math.floor(this.byteBudget / 32)));
      const { journal, replayed } = await Journal.open({ fs: this.fs, dir: this.dir, logger: this.logger, now: this.now, segmentBytes });
      this.journal = journal;
      // Taken (and removed) even when a replay makes it useless: it must not outlive this open.
      const snapshot = await takeSnapshot(this.fs, this.dir, this.logger);
      const scan = await scanDir(this.qctx, replayed === 0 ? snapshot : undefined);
      for (const e of scan.entries) this.add(e);
      const { tempsRemoved, quarantined } = scan;
      // Makes the scan's removals and quarantine moves durable; nothing to sync when it made none.
      if (tempsRemoved || quarantined) await this.fs.syncDir(this.dir);
      const swept = await this.sweepExpired();
      // A crash between an eviction's unlink and its fsync can bring files back: trim again.
      const over = planEviction({ entries: this.index.values(), used: this.bytes, high: this.high, low: this.low, isExpired: () => false });
      if (over?.length) await this.removeAll(over, 'evicted at open');
      if (snapshot && replayed === 0) this.verifyInBackground(scan.entries.filter((e) => snapshot.get(e.name) === e));
      this.logger.info({ dir: this.dir, count: this.index.size, bytes: this.bytes, tempsRemoved, quarantined, swept, replayed, fromSnapshot: snapshot !== undefined && replayed === 0 }, 'bundle store opened');
    } catch (err) {
      throw ioError('open', err);
    }
  }

  /**
   * Store a bundle; resolves once it is durable. Throws StoreError on bad meta, a failing disk, or
   * ('read-only') while a disk failure has not been cleared by a probe write.
   */
  put(meta: BundleMeta, bytes: Uint8Array): Promise<PutResult> {
    return this.putOnce(meta, bytes, true);
  }

  private async putOnce(meta: BundleMeta, bytes: Uint8Array, mayCheckpoint: boolean): Promise<PutResult> {
    this.assertOpen();
    if (this.health.readOnly) throw new StoreError('read-only', `bundle store is read-only after a failed write (${this.health.why})`);
    const problem = metaProblem(meta) ?? (meta.size !== bytes.length ? `size ${meta.size} != ${bytes.length} bytes given` : undefined);
    if (problem) throw new StoreError('invalid-meta', problem);
    const pending = this.inflight.get(meta.id);
    if (pending) {
      // Same id being written: its outcome decides ours (duplicate if it landed, retry if it failed).
      await pending.catch(() => undefined);
      return this.putOnce(meta, bytes, mayCheckpoint);
    }
    if (this.live.expired(meta)) return 'expired';
    if (this.index.has(meta.id)) return 'duplicate';
    let record: ReturnType<typeof encodeRecord>;
    try {
      record = encodeRecord(meta, bytes);
    } catch (err) {
      throw new StoreError('invalid-meta', (err as Error).message);
    }
    const kind = record.meta.local ? 'local' : 'received';
    // Received data stops short of the headroom; the island's own changes may use it.
    const cut = kind === 'local' ? 0 : this.headroom;
    if (record.fileBytes > this.high - cut) return 'rejected-too-large';
    // Journal segments hold copies of bundles that are also in their files: before evicting for bytes
    // that a checkpoint would free anyway, checkpoint.
    // Meanwhile this id counts as in flight (a delete or a second put of it waits), and once done every
    // check runs again, since other puts ran too.
    if (mayCheckpoint && this.journal.bytesOnDisk > 0 && this.used + record.fileBytes > this.high - cut) {
      const made = this.journal.makeRoom();
      this.inflight.set(meta.id, made.then(() => 'duplicate' as const));
      try {
        await made;
      } finally {
        this.inflight.delete(meta.id);
      }
      return this.putOnce(meta, bytes, false);
    }
    // Accounting from here to the reservation below is synchronous, so concurrent puts see each other.
    // A journaled bundle is on disk twice until its segment is checkpointed (file and record): near
    // the mark, where that second copy does not fit, the bundle is fsynced in place instead.
    const viaJournal = record.fileBytes <= JOURNAL_MAX_RECORD && this.used + 2 * record.fileBytes <= this.high - cut;
    const cost = viaJournal ? 2 * record.fileBytes : record.fileBytes;
    const entry: Entry = { meta: record.meta, fileBytes: record.fileBytes, name: fileNameFor(meta.id) };
    const victims = planEviction({
      entries: this.index.values(),
      used: this.used,
      incoming: { meta: entry.meta, fileBytes: cost },
      high: this.high - cut,
      low: this.low - cut,
      isExpired: (m) => this.live.expired(m),
    });
    if (!victims) {
      if (!this.full[kind]) this.logger.warn({ kind, bytes: this.bytes, journalBytes: this.journal.bytesOnDisk, budget: this.byteBudget }, 'bundle store full: refusing bundles');
      this.full[kind] = true;
      this.refusedFull[kind]++;
      return 'rejected-full';
    }
    if (victims.length) void this.track(this.removeAll(victims, 'evicted'));
    const write = this.track(this.write(entry, record.chunks, cost, viaJournal));
    this.inflight.set(meta.id, write);
    try {
      const result = await write;
      this.full[kind] = false;
      return result;
    } catch (err) {
      if (err instanceof StoreError) this.health.failed(err);
      throw err;
    } finally {
      this.inflight.delete(meta.id);
    }
  }

  /** `cost`: the bytes reserved meanwhile (twice the file's when `viaJournal`). */
  private async write(entry: Entry, chunks: Uint8Array[], cost: number, viaJournal: boolean): Promise<PutResult> {
    // Files being unlinked still occupy the disk: wait for them so the directory never holds more
    // than the budget, and so a re-put of a just-deleted id cannot be hit by the old unlink.
    const before = [...this.unlinking];
    this.reserved += cost;
    const tmp = join(this.dir, tempName());
    const final = join(this.dir, entry.name);
    let visible = false;
    let segment: Segment | undefined;
    try {
      await Promise.all(before);
      if (viaJournal) {
        // Durable once journaled. The file is written in place (no temp, no rename): a crash that tears
        // it leaves the journal record, which open() replays before scanning. It is fsynced when its
        // journal segment is retired.
        segment = await this.journal.append(entry.name, chunks);
        visible = true;
        await this.fs.writeDurable(final, chunks, false);
      } else {
        await this.fs.writeDurable(tmp, chunks);
        await this.fs.rename(tmp, final);
        visible = true;
        await this.fs.syncDir(this.dir);
      }
    } catch (err) {
      await this.discard(visible ? final : tmp, entry.fileBytes);
      throw ioError('put', err);
    } finally {
      this.reserved -= cost;
      if (segment) this.journal.release(segment);
    }
    this.add(entry);
    return 'stored';
  }

  /** Remove what a failed put left; if even that fails, keep counting its bytes against the budget. */
  private async discard(path: string, fileBytes: number): Promise<void> {
    try {
      await this.fs.unlink(path);
    } catch (err) {
      if (errnoOf(err) === 'ENOENT') return;
      this.stranded += fileBytes;
      this.logger.warn({ path, err: String(err) }, 'bundle store: could not remove a failed write');
    }
  }

  has(id: string): boolean {
    this.assertOpen();
    return this.live.entry(id) !== undefined;
  }

  meta(id: string): BundleMeta | undefined {
    this.assertOpen();
    const e = this.live.entry(id);
    return e && { ...e.meta };
  }

  /** The bundle's bytes, verified against their checksum; a corrupt file is quarantined. */
  async get(id: string): Promise<Uint8Array | undefined> {
    this.assertOpen();
    const e = this.live.entry(id);
    if (!e) return undefined;
    return this.track(this.read(e));
  }

  private async read(e: Entry): Promise<Uint8Array | undefined> {
    let file: Uint8Array;
    try {
      file = await this.fs.readFile(join(this.dir, e.name));
    } catch (err) {
      if (errnoOf(err) === 'ENOENT') return undefined; // deleted meanwhile
      throw ioError('get', err);
    }
    try {
      const { header, payload } = decodeRecord(file);
      if (header.meta.id !== e.meta.id) throw new RecordError('file holds another bundle');
      return payload;
    } catch (err) {
      if (!(err instanceof RecordError)) throw err;
      if (this.index.get(e.meta.id) === e) await this.retire(e, () => quarantine(this.qctx, e.name, err.message));
      return undefined;
    }
  }

  /** Takes effect on the index at once (unless a put of `id` is in flight: then after it settles). */
  async delete(id: string): Promise<void> {
    this.assertOpen();
    const pending = this.inflight.get(id);
    if (pending) {
      await pending.catch(() => undefined);
      return this.delete(id);
    }
    const e = this.index.get(id);
    if (e) await this.track(this.removeAll([e], 'deleted'));
  }

  /** Bundles in send order: priority 0 first, then oldest first. Expired ones never appear. */
  list(filter: ListFilter = {}): BundleMeta[] {
    this.assertOpen();
    return this.live.list(filter);
  }

  /** How many live bundles `list(filter)` would return, without copying or sorting them. */
  count(filter: ListFilter = {}): number {
    this.assertOpen();
    return this.live.count(filter);
  }

  /** Ids of live bundles, for summary vectors. */
  ids(): string[] {
    this.assertOpen();
    return this.live.ids();
  }

  /** Every indexed bundle including expired-but-unswept ones, unordered: for diagnostics and tests. */
  snapshot(): BundleMeta[] {
    this.assertOpen();
    return [...this.index.values()].map((e) => ({ ...e.meta }));
  }

  async sweepExpired(): Promise<number> {
    this.assertOpen();
    const dead = [...this.index.values()].filter((e) => this.live.expired(e.meta));
    if (dead.length) await this.track(this.removeAll(dead, 'expired'));
    return dead.length;
  }

  /** Sweep expired bundles every `intervalMs` until stopSweeper() or close(). */
  startSweeper(intervalMs = 60_000): void {
    this.assertOpen();
    this.sweeper.start(intervalMs);
  }

  stopSweeper(): void {
    this.sweeper.stop();
  }

  /** Counts and on-disk bytes (headers included) of indexed bundles, expired-but-unswept included. */
  stats(): StoreStats {
    const state = this.health.readOnly ? 'read-only' : this.full.received || this.full.local ? 'full' : 'ok';
    return {
      ...countEntries(this.index.values()),
      bytes: this.bytes,
      byteBudget: this.byteBudget,
      pendingBytes: this.reserved,
      state,
      journalBytes: this.journal.bytesOnDisk,
      refusedFull: { ...this.refusedFull },
      ...(this.health.readOnly ? { readOnlyReason: this.health.why } : {}),
    };
  }

  /** The background check of the headers an index snapshot vouched for (verify-pass.ts); settles once done. */
  verified(): Promise<VerifyOutcome> {
    return this.verifying;
  }

  private verifyInBackground(vouched: Entry[]): void {
    const current = (e: Entry): boolean => !this.closed && this.index.get(e.meta.id) === e;
    this.verifying = this.track(
      verifyPass(this.qctx, vouched, {
        current,
        quarantine: (e, reason) => this.retire(e, () => quarantine(this.qctx, e.name, reason)),
        replace: (old, fresh) => (this.forget(old), this.add(fresh)),
      }),
    );
  }

  /** Stop the sweeper and wait for every operation in flight; later calls throw StoreError('closed'). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.stopSweeper();
    this.health.stop();
    await Promise.allSettled([...this.ops, ...this.unlinking]);
    await this.journal.close();
    if (!this.health.readOnly) await writeSnapshot(this.fs, this.dir, this.index.values(), this.logger);
  }

  /** Everything the budget counts: bundle files, writes in flight, stranded files, journal segments. */
  private get used(): number {
    return this.bytes + this.reserved + this.stranded + this.journal.bytesOnDisk;
  }

  private add(e: Entry): void {
    this.index.set(e.meta.id, e);
    this.bytes += e.fileBytes;
  }

  private forget(e: Entry): void {
    this.index.delete(e.meta.id);
    this.bytes -= e.fileBytes;
  }

  /**
   * Drop an entry from the index now (synchronously) and move its file away with `evacuate`. Until that
   * settles, every new write waits, so an old file can never clobber or outlive a new one of the same id.
   */
  private retire(e: Entry, evacuate: () => Promise<void>): Promise<void> {
    this.forget(e);
    const p: Promise<void> = evacuate().finally(() => this.unlinking.delete(p));
    this.unlinking.add(p);
    return p;
  }

  private async removeAll(entries: Entry[], why: string): Promise<void> {
    const live = entries.filter((e) => this.index.get(e.meta.id) === e);
    await Promise.all(live.map((e) => this.retire(e, () => this.unlinkFile(e, why))));
    await this.fs.syncDir(this.dir).catch((err) => this.logger.warn({ err: String(err) }, 'bundle store: dir fsync failed'));
  }

  private async unlinkFile(e: Entry, why: string): Promise<void> {
    try {
      await this.fs.unlink(join(this.dir, e.name));
    } catch (err) {
      if (errnoOf(err) === 'ENOENT') return;
      this.stranded += e.fileBytes;
      this.logger.warn({ id: e.meta.id, why, err: String(err) }, 'bundle store: unlink failed; bytes stay counted');
    }
  }

  private track<T>(p: Promise<T>): Promise<T> {
    this.ops.add(p);
    const drop = (): void => void this.ops.delete(p);
    p.then(drop, drop);
    return p;
  }

  private assertOpen(): void {
    if (this.closed) throw new StoreError('closed', 'bundle store is closed');
  }
}
