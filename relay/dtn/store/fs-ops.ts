import * as fs from 'node:fs';
import * as fsp from 'node:fs/promises';
import { errnoOf } from './errors.ts';

/**
 * The few file-system operations the store needs. Injectable so tests can simulate a full or failing
 * disk, which cannot be produced safely on a real machine.
 */
export interface FsOps {
  mkdirp(path: string): Promise<void>;
  readdir(path: string): Promise<string[]>;
  /**
   * Create `path` exclusively, write the chunks, fsync (unless `sync` is false: the journal already
   * holds the bytes durably), close. May leave a partial file on failure.
   */
  writeDurable(path: string, chunks: readonly Uint8Array[], sync?: boolean): Promise<void>;
  /** fsync an existing file; ENOENT when it is gone. */
  syncFile(path: string): Promise<void>;
  /** Open (creating) a file to append to: the journal. */
  openAppend(path: string): Promise<AppendFile>;
  truncate(path: string, length: number): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  unlink(path: string): Promise<void>;
  /** fsync a directory so a rename or unlink in it is durable. */
  syncDir(path: string): Promise<void>;
  readFile(path: string): Promise<Uint8Array>;
  /** The first `length` bytes (fewer if the file is shorter) and the file's total size. */
  readHead(path: string, length: number): Promise<{ bytes: Uint8Array; fileSize: number }>;
  fileSize(path: string): Promise<number>;
}

/** An append-only file; `append` resolves once the bytes are written and fdatasynced. */
export interface AppendFile {
  append(chunks: readonly Uint8Array[]): Promise<void>;
  close(): Promise<void>;
}

async function writeAll(fh: fsp.FileHandle, chunks: readonly Uint8Array[], start: number): Promise<number> {
  let position = start;
  for (const chunk of chunks) {
    // A regular file can still take a short write (e.g. just before ENOSPC): loop until done.
    for (let off = 0; off < chunk.length; ) {
      const { bytesWritten } = await fh.write(chunk, off, chunk.length - off, position);
      if (bytesWritten <= 0) throw Object.assign(new Error('write made no progress'), { code: 'EIO' });
      off += bytesWritten;
      position += bytesWritten;
    }
  }
  return position;
}

/*
 * The journal and the un-fsynced bundle writes use plain fds and synchronous writes: a write of a few
 * KiB into the page cache takes tens of microseconds, while a FileHandle round trip through the thread
 * pool costs about a millisecond of main-thread CPU per file (measured: 5,000 open/write/close/rename
 * 3.1 s with fs/promises, 0.25 s synchronously). Only the fsyncs, which wait for the device, go to
 * the thread pool.
 */
function writeAllSync(fd: number, chunks: readonly Uint8Array[], start: number): number {
  let position = start;
  for (const chunk of chunks) {
    for (let off = 0; off < chunk.length; ) {
      const n = fs.writeSync(fd, chunk, off, chunk.length - off, position);
      if (n <= 0) throw Object.assign(new Error('write made no progress'), { code: 'EIO' });
      off += n;
      position += n;
    }
  }
  return position;
}

const fdatasync = (fd: number) => new Promise<void>((resolve, reject) => fs.fdatasync(fd, (err) => (err ? reject(err) : resolve())));
const fsyncFd = (fd: number) => new Promise<void>((resolve, reject) => fs.fsync(fd, (err) => (err ? reject(err) : resolve())));

async function openAppend(path: string): Promise<AppendFile> {
  const fd = fs.openSync(path, 'a', 0o600);
  let size = fs.fstatSync(fd).size;
  return {
    async append(chunks) {
      size = writeAllSync(fd, chunks, size);
      await fdatasync(fd);
    },
    close: async () => fs.closeSync(fd),
  };
}

async function syncFile(path: string): Promise<void> {
  const fd = fs.openSync(path, 'r');
  try {
    await fsyncFd(fd);
  } finally {
    fs.closeSync(fd);
  }
}

async function writeDurable(path: string, chunks: readonly Uint8Array[], sync = true): Promise<void> {
  if (!sync) {
    const fd = fs.openSync(path, 'wx', 0o600);
    try {
      writeAllSync(fd, chunks, 0);
    } finally {
      fs.closeSync(fd);
    }
    return;
  }
  const fh = await fsp.open(path, 'wx', 0o600);
  try {
    await writeAll(fh, chunks, 0);
    if (sync) await fh.sync();
  } finally {
    await fh.close();
  }
}

async function syncDir(path: string): Promise<void> {
  const fh = await fsp.open(path, 'r');
  try {
    await fh.sync();
  } catch (err) {
    // Some platforms cannot fsync a directory; there the rename is as durable as it gets.
    if (!['EINVAL', 'EISDIR', 'EPERM', 'ENOTSUP'].includes(errnoOf(err) ?? '')) throw err;
  } finally {
    await fh.close();
  }
}

async function readHead(path: string, length: number): Promise<{ bytes: Uint8Array; fileSize: number }> {
  const fh = await fsp.open(path, 'r');
  try {
    const { size } = await fh.stat();
    const buf = new Uint8Array(Math.min(length, size));
    let got = 0;
    while (got < buf.length) {
      const { bytesRead } = await fh.read(buf, got, buf.length - got, got);
      if (bytesRead === 0) break;
      got += bytesRead;
    }
    return { bytes: buf.subarray(0, got), fileSize: size };
  } finally {
    await fh.close();
  }
}

export const nodeFsOps: FsOps = {
  mkdirp: async (path) => {
    await fsp.mkdir(path, { recursive: true, mode: 0o700 });
  },
  readdir: (path) => fsp.readdir(path),
  writeDurable,
  syncFile,
  openAppend,
  truncate: (path, length) => fsp.truncate(path, length),
  rename: (from, to) => fsp.rename(from, to),
  unlink: (path) => fsp.unlink(path),
  syncDir,
  readFile: async (path) => new Uint8Array(await fsp.readFile(path)),
  readHead,
  fileSize: async (path) => (await fsp.stat(path)).size,
};
