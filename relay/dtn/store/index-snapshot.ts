import { join } from 'node:path';
import { errnoOf } from './errors.ts';
import type { FsOps } from './fs-ops.ts';
import { tempName } from './paths.ts';
import type { Entry } from './scan.ts';
import { decodeSnapshot, encodeSnapshot } from './snapshot-codec.ts';
import type { StoreLogger } from './types.ts';

/*
 * The index as it stood at a clean close, so the next open need not read one header per bundle
 * (100,000 headers took seconds; the snapshot is one file, laid out in snapshot-codec.ts). It is
 * trusted only for the close that wrote it: open() removes it, durably, before the store changes
 * anything, so after a crash there is no snapshot and open scans every header as before. Files the
 * snapshot does not name (written by a crashed run, or put there by hand) are still scanned; names it
 * lists that are gone are dropped. What it says of the files it names is checked after open, in the
 * background (verify-pass.ts), and every read checks the file's own checksums: a tampered snapshot can
 * do no more than a tampered bundle file.
 */
export const SNAPSHOT_FILE = 'index.snapshot';

export interface Vouched {
  /** entries the snapshot names whose files are in the directory */
  vouched: Entry[];
  /** names in the directory the snapshot does not name: they are scanned */
  unknown: string[];
}

/** Split a directory listing into what the snapshot vouches for and what it does not know, or say why it cannot be used. */
export function matchSnapshot(file: Uint8Array, names: readonly string[]): Vouched | string {
  const left = new Map<string, string>();
  for (const n of names) left.set(n, n);
  // Taking a name out as it is matched also drops a second entry for the same file.
  const vouched = decodeSnapshot(file, (name) => {
    const n = left.get(name);
    if (n !== undefined) left.delete(name);
    return n;
  });
  if (typeof vouched === 'string') return vouched;
  return { vouched, unknown: [...left.keys()] };
}

/** Write the snapshot next to the bundles (temp, fsync, rename, fsync dir); a failure only costs speed. */
export async function writeSnapshot(fs: FsOps, dir: string, entries: Iterable<Entry>, logger: StoreLogger): Promise<void> {
  const tmp = join(dir, tempName());
  try {
    await fs.writeDurable(tmp, [encodeSnapshot(entries)]);
    await fs.rename(tmp, join(dir, SNAPSHOT_FILE));
    await fs.syncDir(dir);
  } catch (err) {
    logger.warn({ err: String(err) }, 'bundle store: could not write the index snapshot; the next open reads every header');
    await fs.unlink(tmp).catch(() => undefined);
  }
}

/**
 * Read and remove the snapshot's bytes. Returns undefined when there is none — and also when it cannot
 * be removed, because a snapshot left in place would describe a store that has since changed.
 */
export async function takeSnapshot(fs: FsOps, dir: string, logger: StoreLogger): Promise<Uint8Array | undefined> {
  const path = join(dir, SNAPSHOT_FILE);
  let file: Uint8Array;
  try {
    file = await fs.readFile(path);
  } catch (err) {
    if (errnoOf(err) !== 'ENOENT') logger.warn({ err: String(err) }, 'bundle store: index snapshot unreadable; reading every header');
    return undefined;
  }
  try {
    await fs.unlink(path);
    await fs.syncDir(dir);
  } catch (err) {
    logger.warn({ err: String(err) }, 'bundle store: could not remove the index snapshot; reading every header');
    return undefined;
  }
  return file;
}
