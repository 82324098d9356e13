/**
 * xz compression for the build, by the xz command (XZ Utils, the format's reference implementation; npm
 * has no maintained xz encoder, and `@napi-rs/lzma`'s releases for Node 20 write no compression at all).
 * Runs once per build on files we made, so the encoder never sees untrusted input.
 */
import { spawn } from 'node:child_process';

/**
 * `bytes` at xz's strongest preset (9, extreme). The dictionary is the smallest power of two that holds the
 * whole input: as small as that, the compressed size is the same as with preset 9's 64 MiB, and a phone
 * decoding it needs a few MiB instead of 65. CRC32: the decoder phones run checks it. One thread, so the
 * output is one block and the same on every machine. Resolves undefined when this machine has no xz.
 */
export function xzCompress(bytes: Uint8Array): Promise<Buffer | undefined> {
  let dict = 4096;
  while (dict < bytes.length) dict *= 2;
  return new Promise((resolve, reject) => {
    const child = spawn('xz', ['--threads=1', '--check=crc32', `--lzma2=preset=9e,dict=${dict}`, '--stdout'], { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.on('error', (e: NodeJS.ErrnoException) => (e.code === 'ENOENT' ? resolve(undefined) : reject(e)));
    child.on('close', (code) => (code === 0 ? resolve(Buffer.concat(out)) : reject(new Error(`xz exited with ${code}: ${Buffer.concat(err).toString().trim()}`))));
    // If xz dies early, the write fails with EPIPE; its exit code says why.
    child.stdin.on('error', () => undefined);
    child.stdin.end(bytes);
  });
}
