import { join } from 'node:path';
import { errnoOf } from './errors.ts';
import type { FsOps } from './fs-ops.ts';
import { QUARANTINE_DIR } from './paths.ts';
import type { StoreLogger } from './types.ts';

/** Kept for inspection, but bounded: a disk that keeps rotting must not fill up with evidence. */
export const QUARANTINE_LIMIT = 32;

export interface QuarantineCtx {
  fs: FsOps;
  dir: string;
  logger: StoreLogger;
  now: () => number;
  /** bytes quarantine may hold: the headroom above the high-water mark, so the whole dir fits the budget */
  maxBytes: number;
}

/** Move a bad file out of the bundle namespace; never throws (open must not crash on a bad file). */
export async function quarantine(ctx: QuarantineCtx, name: string, reason: string): Promise<void> {
  const qdir = join(ctx.dir, QUARANTINE_DIR);
  const target = `${String(ctx.now()).padStart(15, '0')}-${name}`;
  ctx.logger.warn({ file: name, reason, movedTo: join(QUARANTINE_DIR, target) }, 'bundle store: quarantined a bad file');
  try {
    await ctx.fs.rename(join(ctx.dir, name), join(qdir, target));
    await trimQuarantine(ctx, qdir);
  } catch (err) {
    if (errnoOf(err) === 'ENOENT') return;
    ctx.logger.warn({ file: name, err: String(err) }, 'bundle store: could not quarantine, removing instead');
    await ctx.fs.unlink(join(ctx.dir, name)).catch(() => undefined);
  }
}

/** Drop the oldest quarantined files until both the count and the byte cap hold. */
async function trimQuarantine(ctx: QuarantineCtx, qdir: string): Promise<void> {
  const names = (await ctx.fs.readdir(qdir)).sort().reverse(); // newest first
  let count = 0;
  let bytes = 0;
  for (const name of names) {
    const size = await ctx.fs.fileSize(join(qdir, name)).catch(() => 0);
    if (count < QUARANTINE_LIMIT && bytes + size <= ctx.maxBytes) {
      count++;
      bytes += size;
      continue;
    }
    await ctx.fs.unlink(join(qdir, name)).catch(() => undefined);
  }
}
