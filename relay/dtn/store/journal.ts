import { join } from 'node:path';
import { errnoOf } from './errors.ts';
import type { AppendFile, FsOps } from './fs-ops.ts';
import { fileNameFor, JOURNAL_DIR, QUARANTINE_DIR, tempName } from './paths.ts';
import { decodeRecord, headerLengthNeeded, MAX_HEADER_BYTES } from './record.ts';
import type { StoreLogger } from './types.ts';
import { equalBytes } from '../../../src/core/crypto/bytes.ts';

/*
 * Group commit for small bundles. A put appends its record (the very bytes of its bundle file) to the
 * current journal segment; every put that arrives while one fdatasync is running joins the next one,
 * so a burst pays one flush per batch instead of two fsyncs per bundle. Once durable there, the bundle
 * file is written and renamed without its own fsync. A segment is retired when it is full or old: its
 * files (those still present) and the store directory are fsynced, then the segment is removed. At
 * open, any segment left by a crash is replayed: each record's file is made durable, rewritten if it
 * is missing or differs. A bundle deleted after its record was journaled can therefore come back
 * after a crash (as after an eviction whose unlink was not yet durable); it is still bound by its
 * lifetime, the budget and duplicate detection.
 */

export { JOURNAL_DIR };
/** Records larger than this skip the journal: one fsync of their own is cheap next to their size. */
export const JOURNAL_MAX_RECORD = 256 * 1024;
const SEGMENT_BYTES = 4 * 1024 * 1024;
const SEGMENT_AGE_MS = 30_000;
/** Retired segments still waiting for their checkpoint before new appends wait (backpressure). */
const MAX_BACKLOG = 16;
const SEGMENT_NAME = /^(\d{1,12})\.log$/;

export interface Segment {
  no: number;
  path: string;
  file: AppendFile;
  bytes: number;
  openedAt: number;
  /** bundle file names whose records are in this segment */
  names: Set<string>;
  /** appends that are durable here but whose bundle file is not in place yet */
  writers: number;
}

interface Waiter {
  name: string;
  chunks: Uint8Array[];
  resolve: (seg: Segment) => void;
  reject: (err: unknown) => void;
}

export interface JournalCtx {
  fs: FsOps;
  /** the store directory; segments live in its JOURNAL_DIR */
  dir: string;
  logger: StoreLogger;
  now: () => number;
  /** a segment is retired once it holds this many bytes (default 4 MiB) */
  segmentBytes?: number;
}

export class Journal {
  private current: Segment | undefined;
  private queue: Waiter[] = [];
  private flushing: Promise<void> | undefined;
  private readonly retired: Segment[] = [];
  private checkpointing: Promise<void> | undefined;
  private backlogWaiters: Array<() => void> = [];
  private timer: ReturnType<typeof setInterval> | undefined;

  private constructor(
    private readonly ctx: JournalCtx,
    private nextNo: number,
  ) {}

  private get jdir(): string {
    return join(this.ctx.dir, JOURNAL_DIR);
  }

  /** Replays what a crash left, then starts empty. */
  static async open(ctx: JournalCtx): Promise<{ journal: Journal; replayed: number }> {
    const jdir = join(ctx.dir, JOURNAL_DIR);
    await ctx.fs.mkdirp(jdir);
    const segments = (await ctx.fs.readdir(jdir))
      .map((n) => SEGMENT_NAME.exec(n))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => Number(m[1]))
      .sort((a, b) => a - b);
    let replayed = 0;
    for (const no of segments) {
      const path = join(jdir, `${no}.log`);
      try {
        replayed += await replay(ctx, path);
      } catch (err) {
        // A segment that cannot be read or replayed must not keep the relay from starting: what it
        // held that is not in a bundle file already is lost either way, and the operator can look.
        const target = join(ctx.dir, QUARANTINE_DIR, `${String(ctx.now()).padStart(15, '0')}-journal-${no}.log`);
        ctx.logger.warn({ segment: path, err: String(err), movedTo: target }, 'bundle store: journal segment could not be replayed; quarantined');
        await ctx.fs.rename(path, target).catch(() => ctx.fs.unlink(path).catch(() => undefined));
      }
    }
    if (segments.length) await ctx.fs.syncDir(jdir);
    const journal = new Journal(ctx, (segments.at(-1) ?? 0) + 1);
    journal.timer = setInterval(() => journal.retireIfOld(), 5_000);
    journal.timer.unref();
    return { journal, replayed };
  }

  /** Resolves once `chunks` are durable in the journal; call release(segment) when the file is in place. */
  async append(name: string, chunks: Uint8Array[]): Promise<Segment> {
    // Too many segments await their checkpoint: let one finish first; a disk that keeps failing them
    // fails the put rather than letting the journal grow without bound.
    for (let tries = 0; this.retired.length >= MAX_BACKLOG; tries++) {
      if (tries >= 3 && !this.checkpointing) throw Object.assign(new Error('journal checkpoints keep failing'), { code: 'EIO' });
      this.checkpointSoon();
      await new Promise<void>((r) => this.backlogWaiters.push(r));
    }
    return new Promise<Segment>((resolve, reject) => {
      this.queue.push({ name, chunks, resolve, reject });
      this.flushing ??= this.flush().finally(() => (this.flushing = undefined));
    });
  }

  release(seg: Segment): void {
    seg.writers--;
    if (seg.writers === 0 && this.retired.includes(seg)) this.checkpointSoon();
  }

  /** Waits for appends in flight, then checkpoints every segment (a clean close leaves no journal). */
  async close(): Promise<void> {
    clearInterval(this.timer);
    while (this.flushing) await this.flushing;
    if (this.current) this.retire(this.current);
    while (this.checkpointing) await this.checkpointing;
  }

  /**
   * Checkpoints what can be now (segments whose files are all in place), so their bytes stop counting
   * against the budget: called when only the journal stands between a put and the high-water mark.
   */
  async makeRoom(): Promise<void> {
    while (this.flushing) await this.flushing;
    if (this.current && this.current.bytes > 0) this.retire(this.current);
    while (this.checkpointing) await this.checkpointing;
  }

  /** Bytes of segments not yet checkpointed: they hold copies of bundles, so the budget counts them. */
  get bytesOnDisk(): number {
    let n = this.current?.bytes ?? 0;
    for (const s of this.retired) n += s.bytes;
    return n;
  }

  /** Segments not yet checkpointed (for stats and tests). */
  get backlog(): number {
    return this.retired.length + (this.current ? 1 : 0);
  }

  private async flush(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0);
      let seg: Segment;
      try {
        seg = await this.segment();
      } catch (err) {
        for (const w of batch) w.reject(err);
        continue;
      }
      const start = seg.bytes;
      const chunks = batch.flatMap((w) => w.chunks);
      try {
        await seg.file.append(chunks);
      } catch (err) {
        await this.abandon(seg, start);
        for (const w of batch) w.reject(err);
        continue;
      }
      for (const c of chunks) seg.bytes += c.length;
      for (const w of batch) {
        seg.names.add(w.name);
        seg.writers++;
        w.resolve(seg);
      }
    }
  }

  private async segment(): Promise<Segment> {
    const cur = this.current;
    if (cur && cur.bytes < (this.ctx.segmentBytes ?? SEGMENT_BYTES)) return cur;
    if (cur) this.retire(cur);
    const no = this.nextNo++;
    const path = join(this.jdir, `${no}.log`);
    const file = await this.ctx.fs.openAppend(path);
    try {
      // The segment's name must survive a crash too, not only its bytes.
      await this.ctx.fs.syncDir(this.jdir);
    } catch (err) {
      await file.close().catch(() => undefined);
      await this.ctx.fs.unlink(path).catch(() => undefined);
      throw err;
    }
    this.current = { no, path, file, bytes: 0, openedAt: this.ctx.now(), names: new Set(), writers: 0 };
    return this.current;
  }

  /** A batch that failed must not come back at replay: cut it off and start a new segment. */
  private async abandon(seg: Segment, goodBytes: number): Promise<void> {
    try {
      await this.ctx.fs.truncate(seg.path, goodBytes);
    } catch (err) {
      this.ctx.logger.warn({ segment: seg.path, err: String(err) }, 'bundle store: could not cut a failed journal batch; it may be replayed after a crash');
    }
    this.retire(seg);
  }

  private retireIfOld(): void {
    if (this.retired.length) this.checkpointSoon();
    const cur = this.current;
    if (cur && !this.flushing && cur.bytes > 0 && this.ctx.now() - cur.openedAt >= SEGMENT_AGE_MS) this.retire(cur);
  }

  private retire(seg: Segment): void {
    if (this.current === seg) this.current = undefined;
    if (!this.retired.includes(seg)) this.retired.push(seg);
    this.checkpointSoon();
  }

  private checkpointSoon(): void {
    this.checkpointing ??= this.checkpointAll().finally(() => (this.checkpointing = undefined));
  }

  /** Oldest first, one at a time; a failure leaves the segment for the next try (timer or retire). */
  private async checkpointAll(): Promise<void> {
    for (;;) {
      const seg = this.retired.find((s) => s.writers === 0);
      if (!seg) return;
      try {
        await this.checkpoint(seg);
      } catch (err) {
        this.ctx.logger.warn({ segment: seg.path, err: String(err) }, 'bundle store: journal checkpoint failed; will retry');
        for (const w of this.backlogWaiters.splice(0)) w();
        return;
      }
      this.retired.splice(this.retired.indexOf(seg), 1);
      for (const w of this.backlogWaiters.splice(0)) w();
    }
  }

  private async checkpoint(seg: Segment): Promise<void> {
    const { fs, dir } = this.ctx;
    await seg.file.close().catch(() => undefined);
    for (const name of seg.names) {
      await fs.syncFile(join(dir, name)).catch((err: unknown) => {
        if (errnoOf(err) !== 'ENOENT') throw err; // deleted since: nothing to keep
      });
    }
    await fs.syncDir(dir);
    await fs.unlink(seg.path).catch((err: unknown) => {
      if (errnoOf(err) !== 'ENOENT') throw err;
    });
    await fs.syncDir(this.jdir);
  }
}

/** Makes every intact record of a segment durable as its bundle file, then removes the segment. */
async function replay(ctx: JournalCtx, path: string): Promise<number> {
  const { fs, dir } = ctx;
  const buf = await fs.readFile(path);
  let n = 0;
  for (const rec of records(buf)) {
    const name = fileNameFor(rec.id);
    const final = join(dir, name);
    const existing = await fs.readFile(final).catch(() => undefined);
    if (existing && equalBytes(existing, rec.bytes)) {
      await fs.syncFile(final);
    } else {
      const tmp = join(dir, tempName());
      await fs.writeDurable(tmp, [rec.bytes]);
      await fs.rename(tmp, final);
    }
    n++;
  }
  await fs.syncDir(dir);
  await fs.unlink(path);
  if (n) ctx.logger.info({ segment: path, records: n }, 'bundle store: journal replayed');
  return n;
}

/** Intact records from the start of a segment; stops at the first torn or damaged one (a crash's tail). */
function* records(buf: Uint8Array): Generator<{ id: string; bytes: Uint8Array }> {
  let off = 0;
  while (off < buf.length) {
    const rest = buf.subarray(off);
    const head = headerLengthNeeded(rest);
    if (rest.length < head || head > MAX_HEADER_BYTES) return;
    let size: unknown;
    try {
      size = (JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(rest.subarray(9, head - 32))) as { meta?: { size?: unknown } }).meta?.size;
    } catch {
      return;
    }
    if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0 || head + size > rest.length) return;
    const bytes = rest.subarray(0, head + size);
    try {
      const { header } = decodeRecord(bytes);
      yield { id: header.meta.id, bytes };
    } catch {
      return;
    }
    off += head + size;
  }
}

