import { describe, expect, it } from 'vitest';
import { nodeFsOps, type FsOps, type Priority } from '../../relay/dtn/store/index.ts';
import { bundleStoreFixture, T0 } from '../helpers/bundle-store-fixture.ts';
import { filesIn, payloadFor } from './fixtures/store-payload.ts';

// openspec/specs/bundle-store/spec.md — the byte budget and the order of eviction.
// No headroom for local data unless a test asks: these scenarios are about the budget itself.
const fx = bundleStoreFixture({ defaults: { localHeadroom: 0 }, size: 100 });

/** Bytes of regular files in the store directory (the quarantine subdirectory is not a file). */
async function dirBytes(): Promise<number> {
  let total = 0;
  for (const size of (await filesIn(fx.dir)).values()) total += size;
  return total;
}

describe('bundle store: byte budget', () => {
  it('Scenario: a flood of concurrent mixed-priority puts never exceeds the budget and emergency bundles survive it', async () => {
    const budget = 64 * 1024;
    const s = await fx.open({ byteBudget: budget });
    let seed = 42;
    const rand = (n: number): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    const storedBy: Record<Priority, string[]> = { 0: [], 1: [], 2: [], 3: [] };
    let sampled = 0;
    for (let batch = 0; batch < 25; batch++) {
      const puts = Array.from({ length: 20 }, (_, i) => {
        const id = `b${batch}-${i}`;
        const r = rand(100);
        const priority: Priority = r < 4 ? 0 : r < 30 ? 3 : r < 50 ? 1 : 2;
        fx.clock += 1;
        const m = fx.meta(id, { priority, size: 200 + rand(1800), expiresAt: T0 + 10 ** 9 });
        return s.put(m, payloadFor(id, m.size)).then((result) => {
          expect(s.stats().bytes + s.stats().pendingBytes).toBeLessThanOrEqual(budget);
          if (result === 'stored') storedBy[priority].push(id);
          return result;
        });
      });
      // sample the real directory while the batch is in flight, not only between batches
      const sampler = (async () => {
        for (let k = 0; k < 5; k++) {
          expect(await dirBytes()).toBeLessThanOrEqual(budget);
          sampled++;
        }
      })();
      const results = await Promise.all(puts);
      await sampler;
      expect(results.every((r) => r === 'stored' || r === 'rejected-full')).toBe(true);
      expect(s.stats().bytes).toBeLessThanOrEqual(budget);
      expect(await dirBytes()).toBeLessThanOrEqual(budget);
    }
    expect(sampled).toBe(125);
    // Scenario: emergency bundles survive while low ones are evicted first
    const survival = (p: Priority): number => storedBy[p].filter((id) => s.has(id)).length / storedBy[p].length;
    expect(storedBy[0].length).toBeGreaterThan(5);
    expect(survival(0)).toBe(1);
    expect(survival(1)).toBeGreaterThan(survival(3));
    expect(survival(3)).toBeLessThan(0.2);
  });

  it('Scenario: eviction takes lowest priority first, oldest first, down to the low-water mark', async () => {
    // one file is 100 bytes of payload plus its header; budget fits about ten
    const s = await fx.open({ byteBudget: 4000 });
    const fileBytes = async (): Promise<number> => {
      await fx.put(s, 'probe', { priority: 0 });
      const n = s.stats().bytes;
      await s.delete('probe');
      return n;
    };
    const one = await fileBytes();
    const fit = Math.floor((0.95 * 4000) / one);
    for (let i = 0; i < fit; i++) {
      fx.clock++;
      await fx.put(s, `n${i}`, { priority: i % 2 === 0 ? 3 : 2 });
    }
    fx.clock++;
    expect(await fx.put(s, 'alert', { priority: 0 })).toBe('stored');
    const gone = Array.from({ length: fit }, (_, i) => `n${i}`).filter((id) => !s.has(id));
    const lows = Array.from({ length: fit }, (_, i) => `n${i}`).filter((_, i) => i % 2 === 0);
    // the oldest low-priority bundles went, none of the normal ones
    expect(gone).toEqual(lows.slice(0, gone.length));
    expect(s.stats().bytes).toBeLessThanOrEqual(0.9 * 4000);
    expect(s.has('alert')).toBe(true);
  });

  it('Scenario: pinned bundles are evicted last', async () => {
    const s = await fx.open({ byteBudget: 3000 });
    await fx.put(s, 'pinned-low', { priority: 3, pinned: true });
    for (let i = 0; i < 20; i++) {
      fx.clock++;
      await fx.put(s, `normal${i}`, { priority: 2 });
    }
    expect(s.has('pinned-low')).toBe(true);
    expect(s.has('normal0')).toBe(false);
    expect(s.has('normal19')).toBe(true);
  });

  it('Scenario: a lower-ranked bundle never evicts a higher-ranked one', async () => {
    const s = await fx.open({ byteBudget: 3000 });
    let stored = 0;
    for (let i = 0; i < 20 && (await fx.put(s, `alert${i}`, { priority: 0 })) === 'stored'; i++) stored++;
    const before = s.ids().sort();
    expect(await fx.put(s, 'bulk', { priority: 3 })).toBe('rejected-full');
    expect(s.ids().sort()).toEqual(before);
    expect(stored).toBeGreaterThan(0);
  });

  it('Scenario: a write waits until the files it evicts or replaces are gone', async () => {
    // Unlinks are held at a gate, as on a slow disk: no new file may land while old ones still occupy it.
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let gated = false;
    let wroteWhileGated = false;
    const fs: FsOps = {
      ...nodeFsOps,
      unlink: async (p) => {
        if (gated) await gate;
        return nodeFsOps.unlink(p);
      },
      writeDurable: async (p, chunks) => {
        if (gated) wroteWhileGated = true;
        return nodeFsOps.writeDurable(p, chunks);
      },
    };
    const budget = 4000;
    const s = await fx.open({ fs, byteBudget: budget });
    await fx.put(s, 'again', { priority: 0 });
    for (let i = 0; (await fx.put(s, `low${i}`, { priority: 3 })) === 'stored' && s.stats().bytes < 0.9 * budget; i++) fx.clock++;
    gated = true;
    const del = s.delete('again');
    const reput = fx.put(s, 'again', { size: 7 });
    const evicting = fx.put(s, 'alert', { priority: 0, size: 300 });
    try {
      for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r)); // let any eager write start
      expect(wroteWhileGated).toBe(false);
      expect(await dirBytes()).toBeLessThanOrEqual(budget);
    } finally {
      gated = false;
      release();
    }
    await del;
    expect(await reput).toBe('stored');
    expect(await evicting).toBe('stored');
    expect(await s.get('again')).toEqual(payloadFor('again', 7));
    expect(await dirBytes()).toBeLessThanOrEqual(budget);
  });

  it('Scenario: a bundle larger than the allowance is rejected', async () => {
    const s = await fx.open({ byteBudget: 10_000 });
    expect(await fx.put(s, 'huge', { size: 9500 })).toBe('rejected-too-large');
    expect(await fx.put(s, 'fits', { size: 9000 })).toBe('stored');
    expect((await filesIn(fx.dir)).size).toBe(1);
  });
});
