import { join } from 'node:path';
import { Journal } from './journal.ts';
import { QUARANTINE_DIR } from './paths.ts';
import type { QuarantineCtx } from './quarantine.ts';
import { scanDir, type Entry } from './scan.ts';
import { takeSnapshot } from './index-snapshot.ts';

export interface LoadedIndex {
  journal: Journal;
  /** journal records replayed after a crash */
  replayed: number;
  /** bundles read from their headers */
  entries: Entry[];
  /** bundles taken unread from the clean-close snapshot: the check after open reads their headers */
  vouched: Entry[];
  tempsRemoved: number;
  quarantined: number;
  fromSnapshot: boolean;
}

/**
 * What open() reads from disk, in the order crash safety needs: the journal replay first (a record
 * there may be the only good copy of a file the scan would quarantine), then the index snapshot
 * (index-snapshot.ts) when there was nothing to replay, then the directory.
 */
export async function loadIndex(ctx: QuarantineCtx, byteBudget: number): Promise<LoadedIndex> {
  const { fs, dir, logger, now } = ctx;
  await fs.mkdirp(join(dir, QUARANTINE_DIR));
  // Journal segments count against the budget: keep one small next to a small budget.
  const segmentBytes = Math.min(4 * 1024 * 1024, Math.max(64 * 1024, Math.floor(byteBudget / 32)));
  const { journal, replayed } = await Journal.open({ fs, dir, logger, now, segmentBytes });
  // Taken (and removed) even when a replay makes it useless: it must not outlive this open. No variable
  // here holds its bytes, so they can go as soon as the scan has matched them.
  const scan = await scanDir(ctx, await takeSnapshot(fs, dir, logger).then((s) => (replayed === 0 ? s : undefined)));
  // Makes the scan's removals and quarantine moves durable; nothing to sync when it made none.
  if (scan.tempsRemoved || scan.quarantined) await fs.syncDir(dir);
  return { journal, replayed, ...scan };
}
