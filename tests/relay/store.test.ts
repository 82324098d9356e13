import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  BundleStore,
  JOURNAL_DIR,
  JOURNAL_MAX_RECORD,
  QUARANTINE_DIR,
  StoreError,
  fileNameFor,
  isBundleName,
  isTempName,
  nodeFsOps,
  type BundleMeta,
  type FsOps,
  type Priority,
  type StoreLogger,
  type StoreOptions,
} from '../../relay/dtn/store/index.ts';
import { filesIn, metaFor, payloadFor, removeDir, tempDir } from './fixtures/store-payload.ts';

const T0 = 1_700_000_000_000;

let dir = '';
let clock = T0;
let warnings: Array<{ obj: object; msg?: string }> = [];
const logger: StoreLogger = { warn: (obj, msg) => warnings.push({ obj, msg }), info: () => undefined };
const opened: BundleStore[] = [];

async function open(opts: StoreOptions = {}): Promise<BundleStore> {
  // No headroom for local data unless a test asks: these scenarios are about the budget itself.
  const s = await BundleStore.open(dir, { now: () => clock, logger, localHeadroom: 0, ...opts });
  opened.push(s);
  return s;
}

function meta(id: string, over: Partial<BundleMeta> = {}): BundleMeta {
  return metaFor(id, { size: 100, ...over }, { now: clock });
}

async function putSized(s: BundleStore, id: string, over: Partial<BundleMeta> = {}): Promise<string> {
  const m = meta(id, over);
  return s.put(m, payloadFor(id, m.size));
}

/** Bytes of regular files in the store directory (the quarantine subdirectory is not a file). */
async function dirBytes(): Promise<number> {
  let total = 0;
  for (const size of (await filesIn(dir)).values()) total += size;
  return total;
}

beforeEach(async () => {
  dir = await tempDir();
  clock = T0;
  warnings = [];
});

afterEach(async () => {
  for (const s of opened.splice(0)) await s.close();
  await removeDir(dir);
});

describe('bundle store: basics and dedupe', () => {
  it('Scenario: a stored bundle reads back identical after reopen', async () => {
    const s = await open();
    expect(await putSized(s, 'dtn://a/ 1 0')).toBe('stored');
    expect(s.has('dtn://a/ 1 0')).toBe(true);
    expect(s.meta('dtn://a/ 1 0')).toEqual(meta('dtn://a/ 1 0'));
    await s.close();
    const s2 = await open();
    expect(await s2.get('dtn://a/ 1 0')).toEqual(payloadFor('dtn://a/ 1 0', 100));
    expect(s2.ids()).toEqual(['dtn://a/ 1 0']);
  });

  it('Scenario: a second put of the same id is a duplicate and writes nothing', async () => {
    const s = await open();
    expect(await putSized(s, 'x')).toBe('stored');
    const before = await filesIn(dir);
    const other = meta('x', { size: 5, priority: 0 });
    expect(await s.put(other, new Uint8Array(5))).toBe('duplicate');
    expect(await filesIn(dir)).toEqual(before);
    expect(s.meta('x')?.size).toBe(100);
  });

  it('Scenario: concurrent puts of the same id store it once', async () => {
    const s = await open();
    const results = await Promise.all(Array.from({ length: 10 }, () => putSized(s, 'same')));
    expect(results.filter((r) => r === 'stored')).toHaveLength(1);
    expect(results.filter((r) => r === 'duplicate')).toHaveLength(9);
    expect([...(await filesIn(dir)).keys()]).toEqual([fileNameFor('same')]);
  });

  it('Scenario: a deleted id can be stored again', async () => {
    const s = await open();
    await putSized(s, 'again');
    await s.delete('again');
    expect(s.has('again')).toBe(false);
    expect(await s.get('again')).toBeUndefined();
    // delete then put without awaiting in between: the old unlink must not remove the new file
    await putSized(s, 'again');
    const del = s.delete('again');
    const put = putSized(s, 'again', { size: 7 });
    await del;
    expect(await put).toBe('stored');
    expect(await s.get('again')).toEqual(payloadFor('again', 7));
  });

  it('Scenario: hostile ids stay inside the store directory', async () => {
    const s = await open();
    const ids = ['../../etc/passwd', '/abs/path', 'a\u0000b', 'nul/..', '\\..\\win', 'é🌱', 'x'.repeat(4096)];
    for (const id of ids) expect(await putSized(s, id)).toBe('stored');
    const names = await readdir(dir);
    expect(names.filter((n) => n !== QUARANTINE_DIR && n !== JOURNAL_DIR).every(isBundleName)).toBe(true);
    expect(names).toHaveLength(ids.length + 2);
    await s.close();
    const s2 = await open();
    for (const id of ids) expect(await s2.get(id)).toEqual(payloadFor(id, 100));
  });

  it('Scenario: invalid metadata is a typed error', async () => {
    const s = await open();
    const bad: Array<[BundleMeta, number]> = [
      [meta('p', { priority: 7 as Priority }), 100],
      [meta(''), 100],
      [meta('y'.repeat(4097)), 100],
      [meta('aud', { audience: 'everyone' as never }), 100],
      [meta('t', { createdAt: Number.NaN }), 100],
      [meta('size'), 99],
    ];
    for (const [m, n] of bad) {
      const err = await s.put(m, new Uint8Array(n)).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(StoreError);
      expect((err as StoreError).code).toBe('invalid-meta');
    }
    expect(s.stats().count).toBe(0);
  });

  it('Scenario: a closed store refuses calls with a typed error', async () => {
    const s = await open();
    await s.close();
    await expect(putSized(s, 'late')).rejects.toMatchObject({ name: 'StoreError', code: 'closed' });
    expect(() => s.list()).toThrow(StoreError);
  });
});

describe('bundle store: journal (group commit)', () => {
  it('Scenario: concurrent puts share journal flushes', async () => {
    let appends = 0;
    const fs: FsOps = {
      ...nodeFsOps,
      openAppend: async (path) => {
        const file = await nodeFsOps.openAppend(path);
        return { append: (chunks) => (appends++, file.append(chunks)), close: () => file.close() };
      },
    };
    const s = await open({ fs });
    const ids = Array.from({ length: 64 }, (_, i) => `burst ${i}`);
    expect(await Promise.all(ids.map((id) => putSized(s, id)))).toEqual(ids.map(() => 'stored'));
    // One fdatasync per batch: puts that arrive while one runs join the next.
    expect(appends).toBeGreaterThan(0);
    expect(appends).toBeLessThan(ids.length / 2);
    for (const id of ids) expect(await s.get(id)).toEqual(payloadFor(id, 100));
  });

  it('Scenario: a bundle file lost or torn by a crash is restored from the journal at open', async () => {
    const s = await open();
    for (const id of ['lost', 'torn', 'fine']) expect(await putSized(s, id)).toBe('stored');
    // As a power cut could leave them: the journal flush was durable, the files' own writes were not.
    const { unlink, truncate } = await import('node:fs/promises');
    await unlink(join(dir, fileNameFor('lost')));
    await truncate(join(dir, fileNameFor('torn')), 20);
    const s2 = await open(); // no close: the journal is still there, as after a crash
    for (const id of ['lost', 'torn', 'fine']) expect(await s2.get(id)).toEqual(payloadFor(id, 100));
    expect(warnings).toEqual([]);
    await s2.close();
    await s.close();
    expect((await readdir(join(dir, JOURNAL_DIR))).length).toBe(0);
  });
});

describe('bundle store: send order', () => {
  it('Scenario: list returns priority first, then oldest first', async () => {
    const s = await open();
    const rows: Array<[string, Priority, number]> = [
      ['low-old', 3, 1],
      ['norm-new', 2, 9],
      ['emerg-new', 0, 8],
      ['norm-old', 2, 2],
      ['peri', 1, 5],
      ['emerg-old', 0, 3],
    ];
    for (const [id, priority, age] of rows) await putSized(s, id, { priority, createdAt: T0 + age });
    expect(s.list().map((m) => m.id)).toEqual(['emerg-old', 'emerg-new', 'peri', 'norm-old', 'norm-new', 'low-old']);
  });

  it('Scenario: list filters by priority, audience, destination and excluded ids', async () => {
    const s = await open();
    await putSized(s, 'a', { priority: 0, audience: 'local' });
    await putSized(s, 'b', { priority: 2, audience: 'public', destination: 'dtn://~x/inbox' });
    await putSized(s, 'c', { priority: 2, audience: 'trusted' });
    expect(s.list({ priorities: [2] }).map((m) => m.id)).toEqual(['b', 'c']);
    expect(s.list({ audiences: ['local', 'trusted'] }).map((m) => m.id)).toEqual(['a', 'c']);
    expect(s.list({ destination: 'dtn://~x/inbox' }).map((m) => m.id)).toEqual(['b']);
    expect(s.list({ exclude: new Set(['a']), limit: 1 }).map((m) => m.id)).toEqual(['b']);
    // count() answers what list() would return, without copying (relay status asks it on every poll).
    for (const f of [{}, { priorities: [2 as const] }, { audiences: ['local' as const] }, { exclude: new Set(['a', 'c']) }, { where: (m: BundleMeta) => m.id !== 'b' }]) {
      expect(s.count(f)).toBe(s.list(f).length);
    }
  });
});

describe('bundle store: expiry', () => {
  it('Scenario: expired bundles are hidden at once and removed by a sweep', async () => {
    const s = await open();
    await putSized(s, 'short', { expiresAt: T0 + 1000 });
    await putSized(s, 'long', { expiresAt: T0 + 10_000 });
    clock = T0 + 1000;
    expect(s.has('short')).toBe(false);
    expect(await s.get('short')).toBeUndefined();
    expect(s.list().map((m) => m.id)).toEqual(['long']);
    expect(s.ids()).toEqual(['long']);
    expect(await s.sweepExpired()).toBe(1);
    expect([...(await filesIn(dir)).keys()]).toEqual([fileNameFor('long')]);
    expect(s.stats().count).toBe(1);
  });

  it('Scenario: an already-expired bundle is not stored', async () => {
    const s = await open();
    expect(await putSized(s, 'dead', { expiresAt: T0 })).toBe('expired');
    expect((await filesIn(dir)).size).toBe(0);
  });

  it('Scenario: open sweeps expired bundles', async () => {
    const s = await open();
    await putSized(s, 'soon', { expiresAt: T0 + 5 });
    await s.close();
    clock = T0 + 5;
    const s2 = await open();
    expect(s2.stats().count).toBe(0);
    expect((await filesIn(dir)).size).toBe(0);
  });

  it('Scenario: the sweeper removes expired bundles periodically until stopped', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    try {
      const s = await open();
      await putSized(s, 'e1', { expiresAt: T0 + 100 });
      await putSized(s, 'e2', { expiresAt: T0 + 300 });
      s.startSweeper(1000);
      clock = T0 + 100;
      vi.advanceTimersByTime(1000);
      // the index drops expired entries synchronously; close() waits for the unlinks
      expect(s.stats().count).toBe(1);
      s.stopSweeper();
      clock = T0 + 300;
      vi.advanceTimersByTime(5000);
      expect(s.stats().count).toBe(1);
      await s.close();
      expect([...(await filesIn(dir)).keys()]).toEqual([fileNameFor('e2')]);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('bundle store: byte budget', () => {
  it('Scenario: a flood of concurrent mixed-priority puts never exceeds the budget and emergency bundles survive it', async () => {
    const budget = 64 * 1024;
    const s = await open({ byteBudget: budget });
    let seed = 42;
    const rand = (n: number): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    const storedBy: Record<Priority, string[]> = { 0: [], 1: [], 2: [], 3: [] };
    let sampled = 0;
    for (let batch = 0; batch < 25; batch++) {
      const puts = Array.from({ length: 20 }, (_, i) => {
        const id = `b${batch}-${i}`;
        const r = rand(100);
        const priority: Priority = r < 4 ? 0 : r < 30 ? 3 : r < 50 ? 1 : 2;
        clock += 1;
        const m = meta(id, { priority, size: 200 + rand(1800), expiresAt: T0 + 10 ** 9 });
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
    const s = await open({ byteBudget: 4000 });
    const fileBytes = async (): Promise<number> => {
      await putSized(s, 'probe', { priority: 0 });
      const n = s.stats().bytes;
      await s.delete('probe');
      return n;
    };
    const one = await fileBytes();
    const fit = Math.floor((0.95 * 4000) / one);
    for (let i = 0; i < fit; i++) {
      clock++;
      await putSized(s, `n${i}`, { priority: i % 2 === 0 ? 3 : 2 });
    }
    clock++;
    expect(await putSized(s, 'alert', { priority: 0 })).toBe('stored');
    const gone = Array.from({ length: fit }, (_, i) => `n${i}`).filter((id) => !s.has(id));
    const lows = Array.from({ length: fit }, (_, i) => `n${i}`).filter((_, i) => i % 2 === 0);
    // the oldest low-priority bundles went, none of the normal ones
    expect(gone).toEqual(lows.slice(0, gone.length));
    expect(s.stats().bytes).toBeLessThanOrEqual(0.9 * 4000);
    expect(s.has('alert')).toBe(true);
  });

  it('Scenario: pinned bundles are evicted last', async () => {
    const s = await open({ byteBudget: 3000 });
    await putSized(s, 'pinned-low', { priority: 3, pinned: true });
    for (let i = 0; i < 20; i++) {
      clock++;
      await putSized(s, `normal${i}`, { priority: 2 });
    }
    expect(s.has('pinned-low')).toBe(true);
    expect(s.has('normal0')).toBe(false);
    expect(s.has('normal19')).toBe(true);
  });

  it('Scenario: a lower-ranked bundle never evicts a higher-ranked one', async () => {
    const s = await open({ byteBudget: 3000 });
    let stored = 0;
    for (let i = 0; i < 20 && (await putSized(s, `alert${i}`, { priority: 0 })) === 'stored'; i++) stored++;
    const before = s.ids().sort();
    expect(await putSized(s, 'bulk', { priority: 3 })).toBe('rejected-full');
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
    const s = await open({ fs, byteBudget: budget });
    await putSized(s, 'again', { priority: 0 });
    for (let i = 0; (await putSized(s, `low${i}`, { priority: 3 })) === 'stored' && s.stats().bytes < 0.9 * budget; i++) clock++;
    gated = true;
    const del = s.delete('again');
    const reput = putSized(s, 'again', { size: 7 });
    const evicting = putSized(s, 'alert', { priority: 0, size: 300 });
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
    const s = await open({ byteBudget: 10_000 });
    expect(await putSized(s, 'huge', { size: 9500 })).toBe('rejected-too-large');
    expect(await putSized(s, 'fits', { size: 9000 })).toBe('stored');
    expect((await filesIn(dir)).size).toBe(1);
  });
});

describe('bundle store: integrity', () => {
  it('Scenario: corrupt and truncated files are quarantined on open, with a warning', async () => {
    const s = await open();
    for (const id of ['good', 'flipped', 'truncated']) await putSized(s, id);
    await s.close();
    const flipped = join(dir, fileNameFor('flipped'));
    const bytes = await readFile(flipped);
    bytes[20] ^= 0xff; // inside the header JSON: the header checksum no longer matches
    await writeFile(flipped, bytes);
    const truncated = join(dir, fileNameFor('truncated'));
    await writeFile(truncated, (await readFile(truncated)).subarray(0, 150));
    await writeFile(join(dir, fileNameFor('garbage')), 'not a bundle at all');
    await writeFile(join(dir, 'README'), 'someone else’s file');

    const s2 = await open();
    expect(s2.ids()).toEqual(['good']);
    expect(await s2.get('good')).toEqual(payloadFor('good', 100));
    expect((await readdir(join(dir, QUARANTINE_DIR))).length).toBe(3);
    const quarantined = warnings.filter((w) => /quarantined/.test(w.msg ?? ''));
    expect(quarantined).toHaveLength(3);
    expect(await readdir(dir)).toEqual(expect.arrayContaining([fileNameFor('good'), 'README']));
  });

  it('Scenario: a file stored under another id’s name is quarantined on open', async () => {
    const s = await open();
    await putSized(s, 'one');
    await s.close();
    const { rename } = await import('node:fs/promises');
    await rename(join(dir, fileNameFor('one')), join(dir, fileNameFor('two')));
    const s2 = await open();
    expect(s2.stats().count).toBe(0);
    expect(await readdir(join(dir, QUARANTINE_DIR))).toHaveLength(1);
  });

  it('Scenario: payload corruption is detected on read and the file quarantined', async () => {
    const s = await open();
    await putSized(s, 'rot');
    await s.close();
    const path = join(dir, fileNameFor('rot'));
    const bytes = await readFile(path);
    bytes[bytes.length - 1] ^= 1;
    await writeFile(path, bytes);
    const s2 = await open(); // headers only: opens fine
    expect(s2.has('rot')).toBe(true);
    expect(await s2.get('rot')).toBeUndefined();
    expect(s2.has('rot')).toBe(false);
    expect(await readdir(join(dir, QUARANTINE_DIR))).toHaveLength(1);
    expect(warnings.some((w) => /payload checksum/.test(JSON.stringify(w.obj)))).toBe(true);
  });

  it('Scenario: an unreadable file is quarantined and open still succeeds', async () => {
    const s = await open();
    await putSized(s, 'fine');
    await putSized(s, 'bad-sector');
    await s.close();
    const badName = fileNameFor('bad-sector');
    const fs: FsOps = {
      ...nodeFsOps,
      readHead: async (path, length) => {
        if (path.endsWith(badName)) throw Object.assign(new Error('EIO: simulated bad sector'), { code: 'EIO' });
        return nodeFsOps.readHead(path, length);
      },
    };
    const s2 = await open({ fs });
    expect(s2.ids()).toEqual(['fine']);
    expect(await readdir(join(dir, QUARANTINE_DIR))).toHaveLength(1);
    expect(warnings.some((w) => /unreadable: EIO/.test(JSON.stringify(w.obj)))).toBe(true);
  });

  it('Scenario: quarantine stays within the headroom above the high-water mark', async () => {
    const budget = 6000; // headroom 300 bytes: room for small damaged files, not for a ~380-byte bundle file
    const s = await open({ byteBudget: budget });
    for (const id of ['q1', 'q2', 'keep']) await putSized(s, id);
    await s.close();
    for (const id of ['q1', 'q2']) await writeFile(join(dir, fileNameFor(id)), 'damaged');
    const s2 = await open({ byteBudget: budget });
    expect([...(await filesIn(join(dir, QUARANTINE_DIR))).values()]).toEqual([7, 7]);
    await s2.close();
    const path = join(dir, fileNameFor('keep'));
    const bytes = await readFile(path);
    expect(bytes.length).toBeGreaterThan(300);
    bytes[bytes.length - 1] ^= 1;
    await writeFile(path, bytes);
    const s3 = await open({ byteBudget: budget });
    expect(await s3.get('keep')).toBeUndefined();
    // the large damaged file did not fit the headroom: dropped (with a warning), the small ones kept
    expect([...(await filesIn(join(dir, QUARANTINE_DIR))).values()]).toEqual([7, 7]);
    expect(warnings.filter((w) => /quarantined/.test(w.msg ?? ''))).toHaveLength(3);
  });

  it('Scenario: leftover temp files are removed at open', async () => {
    await writeFile(join(dir, '.tmp-deadbeef'), 'half a bundle');
    const s = await open();
    expect(s.stats().count).toBe(0);
    expect((await readdir(dir)).filter(isTempName)).toEqual([]);
  });
});

describe('bundle store: write errors', () => {
  /**
   * Simulates a full disk / failing device: filling the real disk of this machine is not safe, so the
   * injected fs layer writes part of the temp file and then fails with the errno the kernel would give.
   */
  function failingFs(): FsOps & { fail: { write?: string; syncDir?: string; journal?: string } } {
    const fail: { write?: string; syncDir?: string; journal?: string } = {};
    return {
      ...nodeFsOps,
      fail,
      openAppend: async (path) => {
        const file = await nodeFsOps.openAppend(path);
        return {
          append: async (chunks) => {
            if (!fail.journal) return file.append(chunks);
            // Part of the batch reaches the file, then the device fails, as a dying disk would.
            await file.append([chunks[0].subarray(0, 10)]);
            throw Object.assign(new Error(`${fail.journal}: simulated`), { code: fail.journal });
          },
          close: () => file.close(),
        };
      },
      writeDurable: async (path, chunks, sync) => {
        if (!fail.write) return nodeFsOps.writeDurable(path, chunks, sync);
        await writeFile(path, chunks[0].subarray(0, 10));
        throw Object.assign(new Error(`${fail.write}: simulated`), { code: fail.write });
      },
      syncDir: async (path) => {
        if (fail.syncDir) throw Object.assign(new Error(`${fail.syncDir}: simulated`), { code: fail.syncDir });
        return nodeFsOps.syncDir(path);
      },
    };
  }

  /** After a failed write the store is read-only until its probe write succeeds (polled, bounded). */
  async function writableAgain(s: BundleStore): Promise<void> {
    for (let i = 0; i < 500 && s.stats().state === 'read-only'; i++) await new Promise((r) => setTimeout(r, 10));
    expect(s.stats().state).toBe('ok');
  }

  it('Scenario: a full disk rejects the put with a typed error and the store stays usable', async () => {
    const fs = failingFs();
    const s = await open({ fs, probeMs: 5 });
    await putSized(s, 'before');
    fs.fail.write = 'ENOSPC';
    const err = await putSized(s, 'full').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StoreError);
    expect(err).toMatchObject({ code: 'disk-full', errno: 'ENOSPC' });
    expect(s.has('full')).toBe(false);
    expect(s.stats()).toMatchObject({ count: 1, pendingBytes: 0 });
    expect([...(await filesIn(dir)).keys()]).toEqual([fileNameFor('before')]);
    expect(await s.get('before')).toEqual(payloadFor('before', 100));
    fs.fail.write = undefined;
    await writableAgain(s);
    expect(await putSized(s, 'full')).toBe('stored');
    expect(await s.get('full')).toEqual(payloadFor('full', 100));
  });

  it('Scenario: an I/O error after the rename leaves nothing visible', async () => {
    // Only a bundle too large for the journal fsyncs its own file and the directory after the rename.
    const size = JOURNAL_MAX_RECORD + 1;
    const fs = failingFs();
    const s = await open({ fs });
    fs.fail.syncDir = 'EIO';
    await expect(putSized(s, 'eio', { size })).rejects.toMatchObject({ name: 'StoreError', code: 'io-error', errno: 'EIO' });
    expect(s.has('eio')).toBe(false);
    expect((await filesIn(dir)).size).toBe(0);
    fs.fail.syncDir = undefined;
    await s.close();
    const s2 = await open();
    expect(s2.stats().count).toBe(0);
    expect(await putSized(s2, 'eio', { size })).toBe('stored');
  });

  it('Scenario: a journal write that fails leaves nothing visible, even after a reopen', async () => {
    const fs = failingFs();
    const s = await open({ fs, probeMs: 5 });
    expect(await putSized(s, 'kept')).toBe('stored');
    fs.fail.journal = 'EIO';
    await expect(putSized(s, 'eio')).rejects.toMatchObject({ name: 'StoreError', code: 'io-error', errno: 'EIO' });
    expect(s.has('eio')).toBe(false);
    expect([...(await filesIn(dir)).keys()]).toEqual([fileNameFor('kept')]);
    fs.fail.journal = undefined;
    await writableAgain(s);
    expect(await putSized(s, 'after')).toBe('stored');
    // No close: reopen as after a crash, so the journal is replayed.
    const s2 = await open();
    expect(s2.has('eio')).toBe(false);
    expect(await s2.get('kept')).toEqual(payloadFor('kept', 100));
    expect(await s2.get('after')).toEqual(payloadFor('after', 100));
    await s.close();
  });
});
