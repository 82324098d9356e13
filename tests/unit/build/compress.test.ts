import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { brotliDecompressSync, constants, gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { compressBytes } from '../../../scripts/compress.ts';
import { xzCompress } from '../../../scripts/xz.ts';
import { xzDecode } from '../../helpers/xz-decode.ts';

/** The Automerge wasm and its gzip copy, made once: zopfli takes seconds on it. */
let automerge: Promise<{ wasm: Buffer; gz: Buffer }> | undefined;
const automergeWasm = () =>
  (automerge ??= readFile(fileURLToPath(import.meta.resolve('@automerge/automerge/automerge.wasm'))).then(async (wasm) => ({ wasm, gz: await compressBytes(wasm, 'gzip') })));

describe('build: the compressed copies the relay serves', () => {
  it('Scenario: the Automerge wasm’s gzip copy opens to the same bytes and is smaller than zlib’s best', async () => {
    const { wasm, gz } = await automergeWasm();
    expect(gunzipSync(gz).equals(wasm)).toBe(true);
    // Zopfli: the copy phones on plain HTTP fetch is at least 3 % smaller than zlib at level 9.
    expect(gz.length).toBeLessThan(gzipSync(wasm, { level: constants.Z_BEST_COMPRESSION }).length * 0.97);
    const small = Buffer.from('export const a = 1;\n'.repeat(500));
    expect(gunzipSync(await compressBytes(small, 'gzip')).equals(small)).toBe(true);
    expect(brotliDecompressSync(await compressBytes(small, 'br')).equals(small)).toBe(true);
  });

  it('Scenario: the Automerge wasm’s xz copy is at least a quarter smaller than its gzip copy and opens to the same bytes', async () => {
    const { wasm, gz } = await automergeWasm();
    const xz = (await xzCompress(wasm))!;
    expect(xz.length).toBeLessThan(gz.length * 0.75);
    expect(Buffer.from(await xzDecode(xz)).equals(wasm)).toBe(true);
  });
});
