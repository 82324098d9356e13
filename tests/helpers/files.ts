import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * The bytes of every file under `dir` (optionally only names ending in `suffix`), for tests that
 * check what a relay wrote to disk. A running relay renames temp files and drops expired bundles
 * while we read, so a file that vanished between listing and reading is skipped, and a missing
 * directory is empty.
 */
export async function filesUnder(dir: string, suffix = ''): Promise<Buffer[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true }).catch(gone([]));
  const out: Buffer[] = [];
  for (const e of entries) {
    if (!e.isFile() || !e.name.endsWith(suffix)) continue;
    const bytes = await readFile(path.join(e.parentPath, e.name)).catch(gone(undefined));
    if (bytes) out.push(bytes);
  }
  return out;
}

function gone<T>(value: T): (err: NodeJS.ErrnoException) => T {
  return (err) => {
    if (err.code === 'ENOENT') return value;
    throw err;
  };
}
