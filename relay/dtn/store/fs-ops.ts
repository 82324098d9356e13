import * as fsp from 'node:fs/promises';
import { errnoOf } from './errors.ts';

/**
 * The few file-system operations the store needs. Injectable so tests can simulate a full or failing
 * disk, which cannot be produced safely on a real machine.
 */
export interface FsOps {
  mkdirp(path: string): Promise<void>;
  readdir(path: string): Promise<string[]>;
  /** Create `path` exclusively, write the chunks, fsync, close. May leave a partial file on failure. */
  writeDurable(path: string, chunks: readonly Uint8Array[]): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  unlink(path: string): Promise<void>;
  /** fsync a directory so a rename or unlink in it is durable. */
  syncDir(path: string): Promise<void>;
  readFile(path: string): Promise<Uint8Array>;
  /** The first `length` bytes (fewer if the file is shorter) and the file's total size. */
  readHead(path: string, length: number): Promise<{ bytes: Uint8Array; fileSize: number }>;
  fileSize(path: string): Promise<number>;
}

async function writeDurable(path: string, chunks: readonly Uint8Array[]): Promise<void> {
  const fh = await fsp.open(path, 'wx', 0o600);
  try {
    let position = 0;
    for (const chunk of chunks) {
      // A regular file can still take a short write (e.g. just before ENOSPC): loop until done.
      for (let off = 0; off < chunk.length; ) {
        const { bytesWritten } = await fh.write(chunk, off, chunk.length - off, position);
        if (bytesWritten <= 0) throw Object.assign(new Error('write made no progress'), { code: 'EIO' });
        off += bytesWritten;
        position += bytesWritten;
      }
    }
    await fh.sync();
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
  rename: (from, to) => fsp.rename(from, to),
  unlink: (path) => fsp.unlink(path),
  syncDir,
  readFile: async (path) => new Uint8Array(await fsp.readFile(path)),
  readHead,
  fileSize: async (path) => (await fsp.stat(path)).size,
};
