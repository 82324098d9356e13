import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { brotliDecompressSync, constants, gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { compressBytes } from '../../../scripts/compress.ts';

describe('build: the compressed copies the relay serves', () => {
  it('Scenario: the Automerge wasm’s gzip copy opens to the same bytes and is smaller than zlib’s best', async () => {
    const wasm = await readFile(fileURLToPath(import.meta.resolve('@automerge/automerge/automerge.wasm')));
    const gz = await compressBytes(wasm, 'gzip');
    expect(gunzipSync(gz).equals(wasm)).toBe(true);
    // Zopfli: the copy phones on plain HTTP fetch is at least 3 % smaller than zlib at level 9.
    expect(gz.length).toBeLessThan(gzipSync(wasm, { level: constants.Z_BEST_COMPRESSION }).length * 0.97);
    const small = Buffer.from('export const a = 1;\n'.repeat(500));
    expect(gunzipSync(await compressBytes(small, 'gzip')).equals(small)).toBe(true);
    expect(brotliDecompressSync(await compressBytes(small, 'br')).equals(small)).toBe(true);
  });
});
