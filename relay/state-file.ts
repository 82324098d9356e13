import { mkdir, readFile, rename } from 'node:fs/promises';
import writeFileAtomic from 'write-file-atomic';
import path from 'node:path';

/** Where a state file that cannot be read goes: next to it, for the operator to look at. */
export const STATE_QUARANTINE_DIR = 'quarantine';

interface WarnLog {
  warn(obj: object, msg?: string): void;
}

const stderrLog: WarnLog = { warn: (obj, msg) => process.stderr.write(JSON.stringify({ level: 40, msg, ...obj }) + '\n') };

/** The last write of each state file, so the next waits for it (see writeJsonAtomic). */
const lastWrite = new Map<string, Promise<void>>();

/**
 * Small JSON state written atomically (temp + fsync + rename), so a crash leaves the old or the new.
 * write-file-atomic (npm's own) rather than our temp file named by pid: two writes of one file at once
 * (relay.json, by two services) shared that name, one renamed it from under the other, and the relay
 * logged an unhandled ENOENT. Writes of one file are chained here in call order: write-file-atomic
 * queues them too, but after an asynchronous realpath, so an older state could land last.
 */
export function writeJsonAtomic(file: string, value: unknown): Promise<void> {
  const text = JSON.stringify(value, null, 2);
  const write = (lastWrite.get(file) ?? Promise.resolve())
    .catch(() => undefined)
    .then(async () => {
      await mkdir(path.dirname(file), { recursive: true });
      await writeFileAtomic(file, text);
    });
  lastWrite.set(file, write);
  const forget = () => {
    if (lastWrite.get(file) === write) lastWrite.delete(file);
  };
  write.then(forget, forget);
  return write;
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
