/**
 * Writes brotli (`.br`) and gzip (`.gz`) copies of the built app's text files next to them, so the relay
 * sends compressed bytes without compressing on every request (phones on a slow mesh link wait for every
 * byte; the relay's CPU is often a small board). A copy that is not smaller than the file is not written.
 * The wasm also gets an xz copy (`x.wasm.xz`), which phones on plain HTTP fetch and decode themselves.
 * Run by `npm run build` after `vite build`: `node --import tsx scripts/compress.ts [dir]` (default dist/).
 */
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import { gzipAsync } from '@gfx/zopfli';
import { COMPRESSIBLE, SUFFIX, type Encoding } from '../relay/precompressed.ts';
import { PACKED_WASM_SUFFIX } from '../src/core/protocol/packed-wasm.ts';
import { xzCompress } from './xz.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const brotli = promisify(brotliCompress);
const gzip9 = promisify(gzip);

/**
 * Over plain HTTP (a mesh address is not a secure context) Chromium asks for gzip, never brotli, so the
 * gzip copy is what most phones fetch. For the Automerge wasm, most of those bytes, zopfli writes the same
 * format 5 % smaller than zlib at level 9 (1,062 → 1,009 KB; 0.2 s less at 2 Mbit/s), in one pass of 4.5 s
 * (more passes save under 0.2 %). On the app's JS it would save 14 KB of 368 for 13 s of every build, so
 * files under half a megabyte keep zlib. `@gfx/zopfli` is Google's zopfli built to wasm: no compiler needed.
 */
const ZOPFLI_FROM_BYTES = 512 * 1024;
const gz = async (bytes: Buffer): Promise<Buffer> => (bytes.length >= ZOPFLI_FROM_BYTES ? Buffer.from(await gzipAsync(bytes, { numiterations: 1 })) : gzip9(bytes, { level: constants.Z_BEST_COMPRESSION }));

/** Both encoders at their slowest, smallest settings: this runs once per build, the bytes go out forever. */
export function compressBytes(bytes: Buffer, encoding: Encoding): Promise<Buffer> {
  if (encoding === 'gzip') return gz(bytes);
  return brotli(bytes, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
      [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
      [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
    },
  });
}

export interface CompressedFile {
  file: string;
  bytes: number;
  br?: number;
  gzip?: number;
  /** The xz copy a phone on plain HTTP fetches instead of the wasm (src/core/protocol/packed-wasm.ts). */
  xz?: number;
  /** A wasm file left without its xz copy: this machine has no xz command. */
  xzMissing?: true;
}

/** Writes (or, without the xz command, clears) a wasm file's packed copy; see src/core/protocol/packed-wasm.ts. */
async function packWasm(file: string, bytes: Buffer, row: CompressedFile): Promise<void> {
  const target = file + PACKED_WASM_SUFFIX;
  const packed = await xzCompress(bytes);
  if (packed) {
    await writeFile(target, packed);
    row.xz = packed.length;
  } else {
    // A copy from an earlier build would be another wasm's bytes under this name.
    await rm(target, { force: true });
    row.xzMissing = true;
  }
}

/** Compresses every compressible file under `dir` (stale copies from an earlier build are replaced). */
export async function compressDir(dir: string): Promise<CompressedFile[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files = entries.filter((e) => e.isFile() && COMPRESSIBLE.has(path.extname(e.name))).map((e) => path.join(e.parentPath, e.name));
  const out: CompressedFile[] = [];
  // One file at a time: brotli at quality 11 is CPU-heavy and the build machine may be a small board.
  for (const file of files) {
    const bytes = await readFile(file);
    const row: CompressedFile = { file: path.relative(dir, file), bytes: bytes.length };
    for (const encoding of ['br', 'gzip'] as const) {
      const target = file + SUFFIX[encoding];
      const packed = await compressBytes(bytes, encoding);
      if (packed.length < bytes.length) {
        await writeFile(target, packed);
        row[encoding] = packed.length;
      } else {
        await rm(target, { force: true });
      }
    }
    if (path.extname(file) === '.wasm') await packWasm(file, bytes, row);
    out.push(row);
  }
  return out;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const dir = path.resolve(process.argv[2] ?? path.join(ROOT, 'dist'));
  const rows = await compressDir(dir);
  const sum = (k: 'bytes' | 'br' | 'gzip') => rows.reduce((a, r) => a + (r[k] ?? r.bytes), 0);
  console.log(`compress: ${rows.length} files in ${path.relative(ROOT, dir) || dir}: ${sum('bytes')} B, brotli ${sum('br')} B, gzip ${sum('gzip')} B`);
  for (const r of rows.filter((x) => x.xz !== undefined)) console.log(`compress: ${r.file} for phones on plain HTTP: xz ${r.xz} B (gzip ${r.gzip} B)`);
  if (rows.some((r) => r.xzMissing)) console.warn('compress: no xz command (Debian: apt install xz-utils), so no packed wasm: phones on plain HTTP fetch the gzip copy instead.');
}
