import { join } from 'node:path';
import type { StoreError } from './errors.ts';
import type { FsOps } from './fs-ops.ts';
import { tempName } from './paths.ts';
import type { StoreLogger } from './types.ts';

export interface WriteHealthCtx {
  fs: FsOps;
  dir: string;
  logger: StoreLogger;
  /** first probe after a failure; doubles up to maxMs */
  baseMs: number;
  maxMs: number;
}

const PROBE = new Uint8Array([0x70]);

/**
 * Read-only mode after a failed write (ENOSPC, EDQUOT, EIO…). Puts are refused at once instead of
 * each one failing on the disk again, reads go on, and a small probe write, retried with backoff,
 * ends the mode by itself once the disk takes writes again (space freed, quota raised).
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

  /** A write failed: from now on puts are refused until a probe succeeds. */
  failed(err: StoreError): void {
    if (err.code !== 'disk-full' && err.code !== 'io-error') return;
    if (this.reason !== undefined) return;
    this.reason = err.errno ?? err.message;
    this.delay = this.ctx.baseMs;
    this.ctx.logger.warn({ dir: this.ctx.dir, err: err.message }, 'bundle store: write failed; read-only until the disk takes writes again');
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
    const path = join(this.ctx.dir, tempName());
    try {
      await this.ctx.fs.writeDurable(path, [PROBE]);
      await this.ctx.fs.unlink(path);
    } catch (err) {
      // A partial probe file is a temp file: the next open removes it if this unlink cannot.
      await this.ctx.fs.unlink(path).catch(() => undefined);
      this.ctx.logger.info({ err: String(err), nextProbeMs: Math.min(this.ctx.maxMs, this.delay * 2) }, 'bundle store: still read-only');
      this.delay = Math.min(this.ctx.maxMs, this.delay * 2);
      this.schedule();
      return;
    }
    this.ctx.logger.warn({ dir: this.ctx.dir, was: this.reason }, 'bundle store: writable again');
    this.reason = undefined;
  }
}
