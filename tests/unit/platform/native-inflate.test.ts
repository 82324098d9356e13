import * as A from '@automerge/automerge';
import { deflateRawSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deflatedParts, MAX_INFLATED_BYTES, opsInChunks } from '../../../src/core/sync/automerge-op-count.ts';
import { inflateAhead } from '../../../src/platform/native-inflate.ts';

// openspec/specs/island-sync/spec.md — a phone weighs what its hub sends; big frames are inflated natively first.

/** A doc whose columns Automerge deflates (it deflates columns past a few hundred bytes). */
function bigDoc(posts: number, seed: number): A.Doc<{ posts: Record<string, unknown> }> {
  return A.change(A.from({ posts: {} as Record<string, unknown> }), (d) => {
    for (let i = 0; i < posts; i++) d.posts[`p${i}`] = { title: new A.ImmutableString(`Offer ${i * seed} of ${seed}`), n: i * seed, open: i % 2 === 0 };
  });
}

const weighAhead = async (bytes: Uint8Array): Promise<number> => opsInChunks(bytes, Number.MAX_SAFE_INTEGER, await inflateAhead(deflatedParts(bytes), MAX_INFLATED_BYTES));

describe('weighing with parts inflated ahead (native inflate)', () => {
  it('Scenario: a frame weighed with its parts inflated natively weighs what fflate alone says, whole or altered (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 400 }), fc.integer({ min: 1, max: 1000 }), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })), { maxLength: 4 }), async (posts, seed, flips) => {
        const saved = A.save(bigDoc(posts, seed));
        const altered = Uint8Array.from(saved);
        for (const [at, x] of flips) altered[at % altered.length] ^= x;
        for (const bytes of [saved, altered]) expect(await weighAhead(bytes)).toBe(opsInChunks(bytes));
      }),
      { numRuns: 40 },
    );
  });

  it('Scenario: a saved doc lists its deflated parts, and they are used, not inflated again', async () => {
    const saved = A.save(bigDoc(3000, 7));
    const parts = deflatedParts(saved);
    expect(parts.length).toBeGreaterThan(0);
    const ahead = await inflateAhead(parts, MAX_INFLATED_BYTES);
    expect(parts.every((p) => ahead.get(p) !== undefined)).toBe(true);
    expect(opsInChunks(saved, Number.MAX_SAFE_INTEGER, ahead)).toBe(opsInChunks(saved));
  });

  it('Scenario: a part that inflates past the bound is not inflated ahead, and the frame is still refused as too much', async () => {
    const head = A.getLastLocalChange(bigDoc(1, 1))!;
    const huge = deflateRawSync(new Uint8Array(MAX_INFLATED_BYTES + 1024));
    let at = 9;
    while (head[at++]! >= 0x80);
    const leb = (n: number): number[] => (n < 128 ? [n] : [(n % 128) | 0x80, ...leb(Math.floor(n / 128))]);
    const bomb = Uint8Array.from([...head.subarray(0, 8), 2, ...leb(huge.length), ...huge]);
    const parts = deflatedParts(bomb);
    expect(parts).toHaveLength(1);
    const ahead = await inflateAhead(parts, MAX_INFLATED_BYTES);
    expect(ahead.get(parts[0]!)).toBeUndefined();
    expect(opsInChunks(bomb, Number.MAX_SAFE_INTEGER, ahead)).toBe(Number.MAX_SAFE_INTEGER);
  });
});
