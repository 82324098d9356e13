import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * Every file under `dir` (optionally only names ending in `suffix`) with its bytes, for tests that check
 * what a relay wrote to disk. A running relay renames temp files, compacts its repo storage (removing the
 * incremental chunks a snapshot replaced) and drops expired bundles while we read, so a file that vanished
 * between listing and reading is skipped, and a missing directory is empty.
 */
export async function namedFilesUnder(dir: string, suffix = ''): Promise<Array<{ file: string; bytes: Buffer }>> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true }).catch(gone([]));
  const out: Array<{ file: string; bytes: Buffer }> = [];
  for (const e of entries) {
    if (!e.isFile() || !e.name.endsWith(suffix)) continue;
    const file = path.join(e.parentPath, e.name);
    const bytes = await readFile(file).catch(gone(undefined));
    if (bytes) out.push({ file, bytes });
  }
  return out;
}

/** The bytes of every file under `dir`, as {@link namedFilesUnder} reads them. */
export async function filesUnder(dir: string, suffix = ''): Promise<Buffer[]> {
  return (await namedFilesUnder(dir, suffix)).map((f) => f.bytes);
}

function gone<T>(value: T): (err: NodeJS.ErrnoException) => T {
  return (err) => {
    if (err.code === 'ENOENT') return value;
    throw err;
  };
}
