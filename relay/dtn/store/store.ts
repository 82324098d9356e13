import { join } from 'node:path';
import { ioError, StoreError } from './errors.ts';
import { planEviction } from './evict.ts';
import type { FsOps } from './fs-ops.ts';
import { JOURNAL_MAX_RECORD, type Journal, type Segment } from './journal.ts';
import { metaProblem } from './meta.ts';
import { fileNameFor, tempName } from './paths.ts';
import { quarantine, type QuarantineCtx } from './quarantine.ts';
import { encodeRecord, RecordError } from './record.ts';
import { readBundle } from './read-bundle.ts';
import type { Entry } from './scan.ts';
import { writeSnapshot } from './index-snapshot.ts';
import { loadIndex } from './index-load.ts';
import { verifyPass, type VerifyHooks, type VerifyOutcome } from './verify-pass.ts';
import { storeStats } from './stats.ts';
import { probeFile, WriteHealth } from './write-health.ts';
import { DEFAULT_BYTE_BUDGET, resolveOptions, type ResolvedOptions, type StoreOptions } from './options.ts';
import type { BundleMeta, ListFilter, PutResult, StoreLogger, StoreStats } from './types.ts';
import { Sweeper } from './sweeper.ts';
import { Removals } from './removals.ts';
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
  private readonly ops = new Set<Promise<unknown>>();
  private bytes = 0;
  /** bytes of puts being written: on disk (or about to be) but not in the index yet */
  private reserved = 0;
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
  /** see ResolvedOptions.headroom */
  private readonly headroom: number;
  private readonly qctx: QuarantineCtx;
  private readonly health: WriteHealth;
  private readonly removals: Removals;
  private journal!: Journal;
  private verifying: Promise<VerifyOutcome> = Promise.resolve({ checked: 0, quarantined: 0, corrected: 0 });
  /** whether the last put of each kind was refused for room */
  private readonly full = { received: false, local: false };
  private readonly refusedFull = { received: 0, local: 0 };

  private constructor(
    readonly dir: string,
    o: ResolvedOptions,
  ) {
    ({ byteBudget: this.byteBudget, high: this.high, low: this.low, headroom: this.headroom, fs: this.fs, logger: this.logger } = o);
    this.live = new LiveView(this.index, o.now);
    this.qctx = { fs: o.fs, dir, logger: o.logger, now: o.now, maxBytes: o.byteBudget - o.high };
    this.removals = new Removals({ fs: o.fs, dir, logger: o.logger });
    this.health = new WriteHealth({ what: 'bundle store', probe: probeFile(o.fs, dir), logger: o.logger, baseMs: o.probeMs, maxMs: Math.max(o.probeMs, 60_000) });
  }

  static async open(dir: string, opts: StoreOptions = {}): Promise<BundleStore> {
    const store = new BundleStore(dir, resolveOptions(opts));
    await store.load();
    return store;
  }

  private async load(): Promise<void> {
    try {
      const loaded = await loadIndex(this.qctx, this.byteBudget);
      this.journal = loaded.journal;
      for (const e of loaded.entries) this.add(e);
      // A snapshot entry for an id a scanned file holds names the wrong file: that file is read after open.
      const displaced: string[] = [];
      const vouched: Entry[] = [];
      for (const e of loaded.vouched) {
        if (this.index.has(e.meta.id)) displaced.push(e.name);
        else vouched.push(e), this.add(e);
      }
      // Nothing is deleted on the snapshot's word alone: what it says has expired is checked first.
      const expiring = vouched.filter((e) => this.live.expired(e.meta));
      if (expiring.length) await verifyPass(this.qctx, expiring, [], this.verifyHooks());
      const swept = await this.sweepExpired();
      // Sizes the snapshot gives are trusted for eviction only once checked: then the trim waits for the check.
      if (loaded.fromSnapshot) this.verifyInBackground(vouched, displaced);
      else await this.trimOver('evicted at open');
      const { tempsRemoved, quarantined, replayed, fromSnapshot } = loaded;
      this.logger.info({ dir: this.dir, count: this.index.size, bytes: this.bytes, tempsRemoved, quarantined, swept, replayed, fromSnapshot }, 'bundle store opened');
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
    const before = [...this.removals.pending];
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
      await this.removals.discard(visible ? final : tmp, entry.fileBytes);
      throw ioError('put', err);
    } finally {
      this.reserved -= cost;
      if (segment) this.journal.release(segment);
    }
    this.add(entry);
    return 'stored';
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
    const got = await readBundle(this.fs, this.dir, e);
    if (!(got instanceof RecordError)) return got;
    if (this.index.get(e.meta.id) === e) await this.retire(e, () => quarantine(this.qctx, e.name, got.message));
    return undefined;
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
    return storeStats(this.index.values(), {
      bytes: this.bytes,
      byteBudget: this.byteBudget,
      pendingBytes: this.reserved,
      journalBytes: this.journal.bytesOnDisk,
      full: this.full,
      refusedFull: this.refusedFull,
      readOnlyReason: this.health.why,
    });
  }

  /** The background check of the headers an index snapshot vouched for (verify-pass.ts); settles once done. */
  verified(): Promise<VerifyOutcome> {
    return this.verifying;
  }

  private verifyInBackground(vouched: Entry[], displaced: string[]): void {
    const pass = verifyPass(this.qctx, vouched, displaced, this.verifyHooks());
    this.verifying = this.track(pass.then(async (outcome) => (this.closed || (await this.trimOver('evicted after open')), outcome)));
  }

  private verifyHooks(): VerifyHooks {
    return {
      current: (e) => !this.closed && this.index.get(e.meta.id) === e,
      running: () => !this.closed,
      entryFor: (id) => this.index.get(id),
      add: (e) => this.add(e),
      forget: (e) => this.forget(e),
      quarantine: (e, reason) => this.retire(e, () => quarantine(this.qctx, e.name, reason)),
    };
  }

  /** A crash between an eviction's unlink and its fsync can bring files back, and a budget can shrink between runs. */
  private async trimOver(why: string): Promise<void> {
    const over = planEviction({ entries: this.index.values(), used: this.bytes, high: this.high, low: this.low, isExpired: () => false });
    if (over?.length) await this.removeAll(over, why);
  }

  /** Stop the sweeper and wait for every operation in flight; later calls throw StoreError('closed'). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.stopSweeper();
    this.health.stop();
    await Promise.allSettled([...this.ops, ...this.removals.pending]);
    await this.journal.close();
    if (!this.health.readOnly) await writeSnapshot(this.fs, this.dir, this.index.values(), this.logger);
  }

  /** Everything the budget counts: bundle files, writes in flight, stranded files, journal segments. */
  private get used(): number {
    return this.bytes + this.reserved + this.removals.stranded + this.journal.bytesOnDisk;
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
    return this.removals.run(evacuate);
  }

  private async removeAll(entries: Entry[], why: string): Promise<void> {
    const live = entries.filter((e) => this.index.get(e.meta.id) === e);
    await Promise.all(live.map((e) => this.retire(e, () => this.removals.unlink(e, why))));
    await this.removals.syncDir();
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
