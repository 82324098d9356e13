import { mkdtemp, readFile, rm, writeFile, access } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compressDir } from '../../../scripts/compress.ts';
import { xzCompress } from '../../../scripts/xz.ts';
import { PACKED_WASM_SUFFIX } from '../../../src/core/protocol/packed-wasm.ts';

import { xzDecode as decode } from '../../helpers/xz-decode.ts';

/** Bytes like a module's: runs of repeated pieces with noise between them, so xz has something to find. */
const moduleLike = fc
  .array(fc.oneof(fc.uint8Array({ maxLength: 64 }), fc.tuple(fc.uint8Array({ minLength: 1, maxLength: 16 }), fc.integer({ min: 1, max: 200 })).map(([piece, n]) => new Uint8Array(Array.from({ length: n }, () => [...piece]).flat()))), { maxLength: 40 })
  .map((parts) => new Uint8Array(parts.flatMap((p) => [...p])));

describe('build: the wasm’s xz copy for phones on plain HTTP', () => {
  it('Scenario: any bytes come back whole through the build’s xz and the phone’s decoder (property)', async () => {
    await fc.assert(
      fc.asyncProperty(moduleLike, async (bytes) => {
        const packed = await xzCompress(bytes);
        expect(packed).toBeDefined();
        expect(await decode(packed!)).toEqual(bytes);
      }),
      { numRuns: 30 },
    );
  });

  it('Scenario: a cut or damaged copy is refused, never decoded to other bytes (property)', async () => {
    await fc.assert(
      fc.asyncProperty(moduleLike, fc.nat(), fc.integer({ min: 1, max: 255 }), async (bytes, at, flip) => {
        const packed = (await xzCompress(bytes))!;
        await expect(decode(packed.subarray(0, at % packed.length))).rejects.toThrow();
        const damaged = Buffer.from(packed);
        damaged[at % packed.length]! ^= flip;
        // A flip xz's checks cannot see would have to leave the bytes as they were.
        const out = await decode(damaged).catch(() => undefined);
        if (out !== undefined) expect(out).toEqual(bytes);
      }),
      { numRuns: 30 },
    );
  });

  it('Scenario: without the xz command the build writes no packed copy, removes an old one and says so', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'spm-noxz-'));
    const wasm = path.join(dir, 'm.wasm');
    await writeFile(wasm, new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]));
    await writeFile(wasm + PACKED_WASM_SUFFIX, 'a copy from an older build');
    const pathBefore = process.env.PATH;
    process.env.PATH = dir; // nothing named xz in it
    try {
      const rows = await compressDir(dir);
      expect(rows.find((r) => r.file === 'm.wasm')).toMatchObject({ xzMissing: true });
      await expect(access(wasm + PACKED_WASM_SUFFIX)).rejects.toThrow();
      expect(await readFile(wasm)).toHaveLength(8);
    } finally {
      process.env.PATH = pathBefore;
      await rm(dir, { recursive: true, force: true });
    }
  });
});
