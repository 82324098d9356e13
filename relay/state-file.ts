import { mkdir, open, readFile, rename } from 'node:fs/promises';
import path from 'node:path';

/** Where a state file that cannot be read goes: next to it, for the operator to look at. */
export const STATE_QUARANTINE_DIR = 'quarantine';

interface WarnLog {
  warn(obj: object, msg?: string): void;
}

const stderrLog: WarnLog = { warn: (obj, msg) => process.stderr.write(JSON.stringify({ level: 40, msg, ...obj }) + '\n') };

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

/**
 * The parsed file, or undefined when there is none. A file that is not JSON (a disk error, a hand
 * edit gone wrong) is named in the log and moved to `quarantine/` beside it, and the caller starts
 * from nothing: a relay must start rather than die on a damaged state file.
 */
export async function readJson<T>(file: string, log: WarnLog = stderrLog): Promise<T | undefined> {
  const text = await readFile(file, 'utf8').catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return undefined;
    throw e;
  });
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as T;
  } catch (err) {
    await quarantineFile(file, `not JSON: ${(err as Error).message}`, log);
    return undefined;
  }
}

/** Moves a damaged state file aside (or, if even that fails, leaves it and says so); never throws. */
export async function quarantineFile(file: string, reason: string, log: WarnLog = stderrLog): Promise<void> {
  const qdir = path.join(path.dirname(file), STATE_QUARANTINE_DIR);
  const target = path.join(qdir, `${String(Date.now()).padStart(15, '0')}-${path.basename(file)}`);
  try {
    await mkdir(qdir, { recursive: true });
    await rename(file, target);
    log.warn({ file, reason, movedTo: target }, 'state file quarantined; starting without it');
  } catch (err) {
    log.warn({ file, reason, err: String(err) }, 'state file unreadable and could not be moved; ignoring it');
  }
}
