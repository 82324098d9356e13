import { mkdir, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BundleStore, JOURNAL_DIR, QUARANTINE_DIR, nodeFsOps, type BundleMeta, type FsOps } from '../../relay/dtn/store/index.ts';
import { bundleStoreFixture } from '../helpers/bundle-store-fixture.ts';
import { payloadFor } from './fixtures/store-payload.ts';

const fx = bundleStoreFixture({ size: 400, prefix: 'bundle-store-abuse-' });

/** Each put is one tick later than the last, so eviction order by age is defined. */
function put(s: BundleStore, id: string, over: Partial<BundleMeta> = {}): Promise<string> {
  fx.clock++;
  return fx.put(s, id, over);
}

/** Bytes of every file under the store dir except quarantine: what the disk really holds for it. */
async function diskBytes(d = fx.dir): Promise<number> {
  let total = 0;
  for (const e of await readdir(d, { withFileTypes: true })) {
    if (e.name === QUARANTINE_DIR) continue;
    const p = join(d, e.name);
    total += e.isDirectory() ? await diskBytes(p) : await stat(p).then((s) => s.size, () => 0);
  }
  return total;
}

async function until(cond: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 1000 && !cond(); i++) await new Promise((r) => setTimeout(r, 10));
  if (!cond()) throw new Error(`timed out waiting for ${what}`);
}

describe('bundle store: received data against local data', () => {
  it('Scenario: a store full of received emergency bundles still takes the island’s own changes', async () => {
    const budget = 40_000;
    const s = await fx.open({ byteBudget: budget });
    // The flood rotates through itself (a newer received bundle evicts an older one of its rank) and
    // stays below the headroom kept for the island's own data.
    for (let i = 0; i < 200; i++) {
      expect(await put(s, `flood${i}`, { priority: 0, source: 'dtn://stranger/' })).toBe('stored');
      expect(s.stats().bytes + s.stats().pendingBytes).toBeLessThanOrEqual(0.9 * budget);
    }
    const flood = s.list().map((m) => m.id);
    expect(flood.length).toBeGreaterThan(10);
    // The island's own change-sets go into that headroom, and push out nothing received at emergency.
    const mine: string[] = [];
    for (let i = 0; i < 500 && s.stats().bytes <= 0.9 * budget; i++) {
      expect(await put(s, `mine${i}`, { priority: 2, local: true })).toBe('stored');
      mine.push(`mine${i}`);
    }
    expect(s.stats().bytes).toBeGreaterThan(0.9 * budget);
    expect(flood.every((id) => s.has(id))).toBe(true);
    expect(s.meta('mine0')?.local).toBe(true);
    // Received data finds no room there: refused, and the store says it is full.
    expect(await put(s, 'bulk', { priority: 3 })).toBe('rejected-full');
    expect(await put(s, 'normal', { priority: 2 })).toBe('rejected-full');
    expect(s.stats()).toMatchObject({ state: 'full', refusedFull: { received: 2, local: 0 } });
    expect(mine.every((id) => s.has(id))).toBe(true);
    expect(s.stats().bytes + s.stats().journalBytes).toBeLessThanOrEqual(budget);
  });

  it('Scenario: received bundles never evict local bundles of equal or higher priority', async () => {
    const budget = 40_000;
    const s = await fx.open({ byteBudget: budget });
    const mine: string[] = [];
    // Up to just below the mark received data stops at (90 %): no local bundle is evicted on the way.
    for (let i = 0; i < 500 && s.stats().bytes < 0.88 * budget; i++) {
      expect(await put(s, `mine${i}`, { priority: 2, local: true })).toBe('stored');
      mine.push(`mine${i}`);
    }
    expect(s.stats().bytes).toBeGreaterThanOrEqual(0.88 * budget);
    for (let i = 0; i < 20; i++) expect(await put(s, `theirs${i}`, { priority: 2 })).toBe('rejected-full');
    for (let i = 0; i < 20; i++) expect(await put(s, `bulk${i}`, { priority: 3 })).toBe('rejected-full');
    expect(mine.every((id) => s.has(id))).toBe(true);
    // The mark is part of the file's header: after a reopen it still protects them.
    await s.close();
    const again = await fx.open({ byteBudget: budget });
    expect(again.meta(mine[0])?.local).toBe(true);
    expect(await put(again, 'theirs-after', { priority: 2 })).toBe('rejected-full');
    expect(mine.every((id) => again.has(id))).toBe(true);
    // A local change of the same rank still gets in: it evicts the oldest of the island's own.
    expect(await put(again, 'mine-new', { priority: 2, local: true })).toBe('stored');
  });

  it('Scenario: journal segments count against the budget', async () => {
    const budget = 48 * 1024;
    const s = await fx.open({ byteBudget: budget });
    let sawJournal = false;
    for (let i = 0; i < 300; i++) {
      await put(s, `b${i}`, { priority: (i % 4) as 0 | 1 | 2 | 3, local: i % 3 === 0, size: 200 + ((i * 37) % 900) });
      const st = s.stats();
      sawJournal ||= st.journalBytes > 0;
      expect(st.bytes + st.journalBytes).toBeLessThanOrEqual(budget);
      if (i % 25 === 0) expect(await diskBytes()).toBeLessThanOrEqual(budget);
    }
    expect(sawJournal).toBe(true);
  });
});

describe('bundle store: a failing disk', () => {
  /** Writes fail with `errno` while `failing` is set, as a full or dying disk would; counts write attempts. */
  function sickFs(errno: string): FsOps & { failing: boolean; writes: number } {
    const fs = {
      ...nodeFsOps,
      failing: true,
      writes: 0,
      writeDurable: async (path: string, chunks: readonly Uint8Array[], sync?: boolean) => {
        fs.writes++;
        if (fs.failing) throw Object.assign(new Error(`${errno}: simulated`), { code: errno });
        return nodeFsOps.writeDurable(path, chunks, sync);
      },
      openAppend: async (path: string) => {
        const file = await nodeFsOps.openAppend(path);
        return {
          append: async (chunks: readonly Uint8Array[]) => {
            fs.writes++;
            if (fs.failing) throw Object.assign(new Error(`${errno}: simulated`), { code: errno });
            return file.append(chunks);
          },
          close: () => file.close(),
        };
      },
    };
    fs.failing = false;
    return fs;
  }

  for (const errno of ['ENOSPC', 'EDQUOT', 'EIO']) {
    it(`Scenario: a write failing with ${errno} makes the store read-only, reads go on, and it recovers by itself`, async () => {
      const fs = sickFs(errno);
      const s = await fx.open({ fs, probeMs: 5 });
      expect(await put(s, 'before')).toBe('stored');
      fs.failing = true;
      await expect(put(s, 'during')).rejects.toMatchObject({ name: 'StoreError', code: errno === 'EIO' ? 'io-error' : 'disk-full' });
      expect(s.stats()).toMatchObject({ state: 'read-only', readOnlyReason: errno });
      expect(fx.warnings.some((w) => /read-only/.test(w.msg ?? ''))).toBe(true);
      // Refused at once while read-only: no more writes hammer the failing disk than the probes.
      await expect(put(s, 'during2')).rejects.toMatchObject({ code: 'read-only' });
      expect(await s.get('before')).toEqual(payloadFor('before', 400));
      expect(s.list().map((m) => m.id)).toEqual(['before']);
      const writesWhileSick = fs.writes;
      await until(() => fs.writes >= writesWhileSick + 2, 'two failed probes');
      expect(s.stats().state).toBe('read-only');
      fs.failing = false;
      await until(() => s.stats().state === 'ok', 'the store to be writable again');
      expect(fx.warnings.some((w) => /writable again/.test(w.msg ?? ''))).toBe(true);
      expect(await put(s, 'after')).toBe('stored');
      expect(await s.get('after')).toEqual(payloadFor('after', 400));
    });
  }
});

describe('bundle store: damaged journal', () => {
  it('Scenario: a journal segment that cannot be replayed is quarantined and the store opens', async () => {
    const s = await fx.open();
    expect(await put(s, 'kept')).toBe('stored');
    await s.close();
    // A segment that cannot even be read (here a directory where a file should be: EISDIR on read).
    await mkdir(join(fx.dir, JOURNAL_DIR, '9.log'));
    const s2 = await fx.open();
    expect(await s2.get('kept')).toEqual(payloadFor('kept', 400));
    const w = fx.warnings.find((x) => /journal segment could not be replayed/.test(x.msg ?? ''));
    expect(w?.obj).toMatchObject({ segment: join(fx.dir, JOURNAL_DIR, '9.log') });
    expect((await readdir(join(fx.dir, QUARANTINE_DIR))).some((n) => n.endsWith('journal-9.log'))).toBe(true);
    expect(await readdir(join(fx.dir, JOURNAL_DIR))).not.toContain('9.log');
    expect(await put(s2, 'new')).toBe('stored');
  });
});
