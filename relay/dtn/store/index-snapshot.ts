import { join } from 'node:path';
import { errnoOf } from './errors.ts';
import type { FsOps } from './fs-ops.ts';
import { cleanMeta, metaProblem } from './meta.ts';
import { fileNameFor, tempName } from './paths.ts';
import { hex, sha256 } from './record.ts';
import type { Entry } from './scan.ts';
import type { BundleMeta, StoreLogger } from './types.ts';

/*
 * The index as it stood at a clean close, so the next open need not read one header per bundle
 * (100,000 headers took seconds; the snapshot is one file). It is trusted only for the close that wrote
 * it: open() removes it, durably, before the store changes anything, so after a crash there is no
 * snapshot and open scans every header as before. Files the snapshot does not name (written by a
 * crashed run, or put there by hand) are still scanned; names it lists that are gone are dropped. A
 * tampered snapshot can do no more than a tampered bundle file: every read checks the file's own
 * checksums and quarantines what does not verify.
 *
 * Layout: 64 hex chars of sha256 over the rest, "\n", then one JSON line per entry, `[name, fileBytes, meta]\n`
 * (a line at a time, so reading 100,000 entries never holds one string of all of them), under a first
 * line `{"v":2}`.
 */
export const SNAPSHOT_FILE = 'index.snapshot';
const VERSION = 2;
const NEWLINE = 0x0a;
const DIGEST_HEX = 64;

export function encodeSnapshot(entries: Iterable<Entry>): Uint8Array {
  const lines = [JSON.stringify({ v: VERSION })];
  for (const e of entries) lines.push(JSON.stringify([e.name, e.fileBytes, e.meta]));
  const body = new TextEncoder().encode(lines.join('\n') + '\n');
  const head = new TextEncoder().encode(hex(sha256(body)) + '\n');
  const out = new Uint8Array(head.length + body.length);
  out.set(head, 0);
  out.set(body, head.length);
  return out;
}

/** The entries a snapshot names, or a reason it cannot be used. Never throws. */
export function decodeSnapshot(file: Uint8Array): Map<string, Entry> | string {
  if (file.length < DIGEST_HEX + 1 || file[DIGEST_HEX] !== 0x0a) return 'no digest line';
  const body = file.subarray(DIGEST_HEX + 1);
  const digest = new TextDecoder().decode(file.subarray(0, DIGEST_HEX));
  if (digest !== hex(sha256(body))) return 'checksum mismatch';
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const lineAt = (start: number, end: number): unknown => JSON.parse(decoder.decode(body.subarray(start, end)));
  const out = new Map<string, Entry>();
  let start = 0;
  let first = true;
  try {
    while (start < body.length) {
      const end = body.indexOf(NEWLINE, start);
      if (end < 0) return 'unterminated line';
      const row = lineAt(start, end);
      start = end + 1;
      if (first) {
        first = false;
        if ((row as { v?: unknown } | null)?.v !== VERSION) return 'unknown format';
        continue;
      }
      const entry = entryOf(row);
      if (typeof entry === 'string') return entry;
      out.set(entry.name, entry);
    }
  } catch {
    return 'not valid JSON';
  }
  if (first) return 'unknown format';
  return out;
}

function entryOf(row: unknown): Entry | string {
  if (!Array.isArray(row) || row.length !== 3) return 'malformed entry';
  const [name, fileBytes, meta] = row as [unknown, unknown, unknown];
  if (typeof name !== 'string' || !Number.isSafeInteger(fileBytes) || (fileBytes as number) <= 0) return 'malformed entry';
  const problem = metaProblem(meta);
  if (problem) return `bad meta: ${problem}`;
  const clean = cleanMeta(meta as BundleMeta);
  // The name is the hash of the id: an entry that disagrees would shadow another bundle's file.
  if (fileNameFor(clean.id) !== name || (fileBytes as number) < clean.size) return 'entry does not match its file name';
  return { name, fileBytes: fileBytes as number, meta: clean };
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
 * Read and remove the snapshot. Returns undefined when there is none or it cannot be used (the caller
 * then scans every header) — and also when it cannot be removed, because a snapshot left in place
 * would describe a store that has since changed.
 */
export async function takeSnapshot(fs: FsOps, dir: string, logger: StoreLogger): Promise<Map<string, Entry> | undefined> {
  const path = join(dir, SNAPSHOT_FILE);
  let file: Uint8Array;
  try {
    file = await fs.readFile(path);
  } catch (err) {
    if (errnoOf(err) !== 'ENOENT') logger.warn({ err: String(err) }, 'bundle store: index snapshot unreadable; reading every header');
    return undefined;
  }
  const decoded = decodeSnapshot(file);
  try {
    await fs.unlink(path);
    await fs.syncDir(dir);
  } catch (err) {
    logger.warn({ err: String(err) }, 'bundle store: could not remove the index snapshot; reading every header');
    return undefined;
  }
  if (typeof decoded === 'string') {
    logger.warn({ reason: decoded }, 'bundle store: index snapshot not used; reading every header');
    return undefined;
  }
  return decoded;
}
