import fc from 'fast-check';
import type { StorageKey } from '@automerge/automerge-repo';
import { describe, expect, it } from 'vitest';
import { EncryptedStorageAdapter, type VaultError } from '../../../src/core/vault/index.ts';
import { MemoryStorageAdapter } from '../contract/memory-storage.ts';
import { seeded } from './helpers.ts';

// openspec/specs/panic/spec.md, Encrypted automerge-repo storage — a sealed chunk that no longer opens is left out of its document's load
type Damage = { kind: 'flip'; at: number } | { kind: 'cut'; to: number } | { kind: 'moved' };

function damaged(bytes: Uint8Array, other: Uint8Array, d: Damage): Uint8Array {
  if (d.kind === 'moved') return other; // a value stored under another key: it opens, but names that key
  if (d.kind === 'cut') return bytes.slice(0, d.to % bytes.length);
  const out = Uint8Array.from(bytes);
  out[d.at % out.length] ^= 0xff;
  return out;
}

describe('EncryptedStorageAdapter: damaged chunks', () => {
  it('Scenario: a sealed chunk that no longer opens is left out of its range and reported by its stored key; the rest load', async () => {
    const damage = fc.oneof(
      fc.record({ kind: fc.constant('flip' as const), at: fc.nat() }),
      fc.record({ kind: fc.constant('cut' as const), to: fc.nat() }),
      fc.constant({ kind: 'moved' as const }),
    );
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 6 }), fc.nat(), damage, async (count, pick, d) => {
        const inner = new MemoryStorageAdapter();
        const reported: Array<{ key: StorageKey; code: string }> = [];
        const enc = await EncryptedStorageAdapter.open(inner, seeded(7)(32), seeded(8), (key, err: VaultError) => void reported.push({ key, code: err.code }));
        // Another document's chunk first, so that doc-a's stored (hashed) entries are those that come after.
        await enc.save(['doc-b', 'snapshot', 'other'], Uint8Array.of(9));
        const before = new Set((await inner.loadRange([])).map((c) => JSON.stringify(c.key)));
        const keys = Array.from({ length: count }, (_, i): StorageKey => ['doc-a', i % 2 ? 'incremental' : 'snapshot', `h${i}`]);
        for (const [i, k] of keys.entries()) await enc.save(k, Uint8Array.of(i, i, i));
        const all = await inner.loadRange([]);
        const ofA = all.filter((c) => !before.has(JSON.stringify(c.key)));
        const donor = all.find((c) => before.has(JSON.stringify(c.key)) && c.key.length === 3)!;
        const victim = ofA[pick % ofA.length]!;
        await inner.save(victim.key, damaged(victim.data!, donor.data!, d));

        const loaded = await enc.loadRange(['doc-a']);
        expect(loaded).toHaveLength(count - 1);
        expect(reported.map((r) => r.key)).toEqual([victim.key]);
        expect(['tampered', 'malformed']).toContain(reported[0]!.code);
        // Every chunk that loads is one saved, with its bytes.
        for (const c of loaded) {
          const i = keys.findIndex((k) => k[2] === c.key[2]);
          expect(c.key).toEqual(keys[i]);
          expect(c.data).toEqual(Uint8Array.of(i, i, i));
        }
        expect(await enc.loadRange(['doc-b'])).toHaveLength(1);
      }),
      { numRuns: 60 },
    );
  });
});
