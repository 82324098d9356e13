import { join } from 'node:path';
import type { StoreError } from './errors.ts';
import type { FsOps } from './fs-ops.ts';
import { tempName } from './paths.ts';
import type { StoreLogger } from './types.ts';

export interface WriteHealthCtx {
  /** What the log lines name: "bundle store", "document store". */
  what: string;
  /** A write that shows the disk takes writes again; rejects while it does not. */
  probe: () => Promise<void>;
  /** Called once the mode has ended (work held back meanwhile may go now). */
  onWritable?: () => void;
  logger: StoreLogger;
  /** first probe after a failure; doubles up to maxMs */
  baseMs: number;
  maxMs: number;
}

const PROBE = new Uint8Array([0x70]);

/** The bundle store's probe: a one-byte durable file in `dir`, removed again. */
export function probeFile(fs: FsOps, dir: string): () => Promise<void> {
  return async () => {
    const path = join(dir, tempName());
    try {
      await fs.writeDurable(path, [PROBE]);
      await fs.unlink(path);
    } catch (err) {
      // A partial probe file is a temp file: the next open removes it if this unlink cannot.
      await fs.unlink(path).catch(() => undefined);
      throw err;
    }
  };
}

/**
 * Read-only mode after a failed write (ENOSPC, EDQUOT, EIO…), for any store on the relay's disk (the
 * bundle store, automerge-repo's document storage). Writes are refused or held at once instead of each
 * one failing on the disk again, reads go on, and the store's probe write, retried with backoff, ends
 * the mode by itself once the disk takes writes again (space freed, quota raised).
 */
export class WriteHealth {
  private reason: string | undefined;
  private delay = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private stopped = false;

  constructor(private readonly ctx: WriteHealthCtx) {}

  get readOnly(): boolean {
    return this.reason !== undefined;
  }

  get why(): string | undefined {
    return this.reason;
  }

  /** A write failed: from now on the store is read-only until a probe succeeds. */
  failed(err: StoreError): void {
    if (err.code !== 'disk-full' && err.code !== 'io-error') return;
    if (this.reason !== undefined) return;
    this.reason = err.errno ?? err.message;
    this.delay = this.ctx.baseMs;
    this.ctx.logger.warn({ err: err.message }, `${this.ctx.what}: write failed; read-only until the disk takes writes again`);
    this.schedule();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.probe(), this.delay);
    this.timer.unref();
  }

  private async probe(): Promise<void> {
    try {
      await this.ctx.probe();
    } catch (err) {
      this.delay = Math.min(this.ctx.maxMs, this.delay * 2);
      this.ctx.logger.info({ err: String(err), nextProbeMs: this.delay }, `${this.ctx.what}: still read-only`);
      this.schedule();
      return;
    }
    this.ctx.logger.warn({ was: this.reason }, `${this.ctx.what}: writable again`);
    this.reason = undefined;
    this.ctx.onWritable?.();
  }
}
