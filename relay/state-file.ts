import { mkdir, open, readFile, rename } from 'node:fs/promises';
import path from 'node:path';

/** Small JSON state written atomically (temp + fsync + rename), so a crash leaves the old or the new. */
export async function writeJsonAtomic(file: string, value: unknown): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  const fh = await open(tmp, 'w');
  try {
    await fh.writeFile(JSON.stringify(value, null, 2));
    await fh.sync();
  } finally {
    await fh.close();
  }
  await rename(tmp, file);
}

export async function readJson<T>(file: string): Promise<T | undefined> {
  const text = await readFile(file, 'utf8').catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return undefined;
    throw e;
  });
  return text === undefined ? undefined : (JSON.parse(text) as T);
}
