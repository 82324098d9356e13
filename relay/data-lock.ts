import { mkdirSync, openSync, readFileSync, unlinkSync, writeSync, closeSync } from 'node:fs';
import path from 'node:path';

export const LOCK_FILE = 'relay.lock';

export class DataDirLocked extends Error {
  override name = 'DataDirLocked';
  constructor(
    readonly dataDir: string,
    readonly pid: number,
  ) {
    super(`data dir ${dataDir} is in use by another relay (pid ${pid}); stop it or choose another --data-dir`);
  }
}

/** Whether process `pid` still runs (the data-dir lock's owner; the mesh tests' namespace owners too). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but is not ours; only ESRCH means it is gone.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Two relays on one data dir would interleave their journals and bundle files and corrupt both, so the
 * second refuses at start. The lock is a file holding the owner's pid, created exclusively; a lock
 * whose pid is dead (a crash, a kill -9) is taken over. Synchronous: it runs once, before anything else.
 */
export function lockDataDir(dataDir: string): { release(): void } {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const file = path.join(dataDir, LOCK_FILE);
  // Two tries: the second after removing a stale lock (another starter may win that race: then it refuses).
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx', 0o600);
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      return {
        release() {
          try {
            if (readFileSync(file, 'utf8').trim() === String(process.pid)) unlinkSync(file);
          } catch {
            // already gone: nothing to release
          }
        },
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const owner = Number.parseInt(readFileSync(file, 'utf8').trim(), 10);
    if (Number.isSafeInteger(owner) && owner > 0 && owner !== process.pid && processAlive(owner)) throw new DataDirLocked(dataDir, owner);
    unlinkSync(file); // stale: its relay is gone (or the file is garbage)
  }
  throw new DataDirLocked(dataDir, NaN);
}
