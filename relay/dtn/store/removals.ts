import { join } from 'node:path';
import { errnoOf } from './errors.ts';
import type { FsOps } from './fs-ops.ts';
import type { Entry } from './scan.ts';
import type { StoreLogger } from './types.ts';

/**
 * Files on their way out of the store directory (unlinked, quarantined, failed writes), and the bytes
 * of those that would not go. While a removal runs every new write waits for it (see `pending`), so an
 * old file can never clobber or outlive a new one of the same id.
 */
export class Removals {
  readonly pending = new Set<Promise<void>>();
  /** bytes of files that should be gone but whose unlink failed: they still count against the budget */
  stranded = 0;

  constructor(private readonly ctx: { fs: FsOps; dir: string; logger: StoreLogger }) {}

  /** Run `evacuate` (which moves or removes a file) as a pending removal. */
  run(evacuate: () => Promise<void>): Promise<void> {
    const p: Promise<void> = evacuate().finally(() => this.pending.delete(p));
    this.pending.add(p);
    return p;
  }

  async unlink(e: Entry, why: string): Promise<void> {
    try {
      await this.ctx.fs.unlink(join(this.ctx.dir, e.name));
    } catch (err) {
      if (errnoOf(err) === 'ENOENT') return;
      this.stranded += e.fileBytes;
      this.ctx.logger.warn({ id: e.meta.id, why, err: String(err) }, 'bundle store: unlink failed; bytes stay counted');
    }
  }

  /** Remove what a failed put left; if even that fails, keep counting its bytes against the budget. */
  async discard(path: string, fileBytes: number): Promise<void> {
    try {
      await this.ctx.fs.unlink(path);
    } catch (err) {
      if (errnoOf(err) === 'ENOENT') return;
      this.stranded += fileBytes;
      this.ctx.logger.warn({ path, err: String(err) }, 'bundle store: could not remove a failed write');
    }
  }

  /** Makes removals durable; a failure is logged, not thrown (the files are gone from the index already). */
  async syncDir(): Promise<void> {
    await this.ctx.fs.syncDir(this.ctx.dir).catch((err) => this.ctx.logger.warn({ err: String(err) }, 'bundle store: dir fsync failed'));
  }
}
