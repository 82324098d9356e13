import { join } from 'node:path';
import { errnoOf } from './errors.ts';
import type { FsOps } from './fs-ops.ts';
import { fileNameFor, isBundleName, isTempName, JOURNAL_DIR, QUARANTINE_DIR } from './paths.ts';
import { quarantine, type QuarantineCtx } from './quarantine.ts';
import { matchSnapshot, SNAPSHOT_FILE } from './index-snapshot.ts';
import { decodeHeader, HEAD_PROBE, headerLengthNeeded, MAX_HEADER_BYTES, RecordError } from './record.ts';
import type { BundleMeta } from './types.ts';

export interface Entry {
  meta: BundleMeta;
  /** the file's whole length: what the budget counts */
  fileBytes: number;
  name: string;
}

export interface ScanResult {
  /** read from their headers: verified */
  entries: Entry[];
  /** taken unread from the index snapshot: checked after open (verify-pass.ts) */
  vouched: Entry[];
  /** whether a snapshot was given and could be used */
  fromSnapshot: boolean;
  tempsRemoved: number;
  quarantined: number;
}

const PARALLEL = 32;

/**
 * Rebuild the index from headers only; clean up what a crash left; quarantine what does not verify.
 * Files named in `snapshot` (the clean-close index snapshot, index-snapshot.ts) are taken from it unread.
 */
export async function scanDir(ctx: QuarantineCtx, snapshot?: Uint8Array): Promise<ScanResult> {
  const names = await ctx.fs.readdir(ctx.dir);
  const result: ScanResult = { entries: [], vouched: [], fromSnapshot: false, tempsRemoved: 0, quarantined: 0 };
  let unknown = names;
  if (snapshot) {
    const matched = matchSnapshot(snapshot, names);
    snapshot = undefined; // its ~100 bytes per bundle are not needed past this point
    if (typeof matched === 'string') ctx.logger.warn({ reason: matched }, 'bundle store: index snapshot not used; reading every header');
    else {
      ({ vouched: result.vouched, unknown } = matched);
      result.fromSnapshot = true;
    }
  }
  for (let i = 0; i < unknown.length; i += PARALLEL) {
    await Promise.all(unknown.slice(i, i + PARALLEL).map((n) => scanOne(ctx, n, result)));
  }
  return result;
}

async function scanOne(ctx: QuarantineCtx, name: string, result: ScanResult): Promise<void> {
  if (name === QUARANTINE_DIR || name === JOURNAL_DIR || name === SNAPSHOT_FILE) return;
  if (isTempName(name)) {
    // A temp file is a put that never resolved: nobody was told it is stored, so it can go.
    await ctx.fs.unlink(join(ctx.dir, name)).catch(() => undefined);
    result.tempsRemoved++;
    return;
  }
  if (!isBundleName(name)) {
    ctx.logger.warn({ file: name }, 'bundle store: ignoring a file it did not write');
    return;
  }
  try {
    result.entries.push(await readEntry(ctx, name));
  } catch (err) {
    if (errnoOf(err) === 'ENOENT') return;
    // An unreadable file (bad sector, wrong permissions) must not keep the relay from starting either.
    const reason = err instanceof RecordError ? err.message : `unreadable: ${errnoOf(err) ?? String(err)}`;
    await quarantine(ctx, name, reason);
    result.quarantined++;
  }
}

export async function readEntry(ctx: QuarantineCtx, name: string): Promise<Entry> {
  const path = join(ctx.dir, name);
  let { bytes, fileSize } = await ctx.fs.readHead(path, HEAD_PROBE);
  const need = headerLengthNeeded(bytes);
  if (need > bytes.length && need <= Math.min(fileSize, MAX_HEADER_BYTES)) ({ bytes, fileSize } = await ctx.fs.readHead(path, need));
  const header = decodeHeader(bytes, fileSize);
  if (fileNameFor(header.meta.id) !== name) throw new RecordError('file name does not match the bundle id');
  return { meta: header.meta, fileBytes: header.fileBytes, name };
}
