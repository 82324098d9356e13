import { writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { BundleStore, JOURNAL_MAX_RECORD, StoreError, fileNameFor, nodeFsOps, type FsOps } from '../../relay/dtn/store/index.ts';
import { bundleStoreFixture } from '../helpers/bundle-store-fixture.ts';
import { isTempName } from '../../relay/dtn/store/paths.ts';
import { filesIn, payloadFor } from './fixtures/store-payload.ts';

/**
 * The bundle files in the store's dir. A failed write starts the store's probe (a temp file written and
 * removed a few ms later), which a listing on a loaded machine can catch: it is not a visible bundle.
 */
async function bundleFiles(dir: string): Promise<string[]> {
  return [...(await filesIn(dir)).keys()].filter((name) => !isTempName(name));
}

// openspec/specs/bundle-store/spec.md — failed writes leave nothing visible and the store usable.
// No headroom for local data unless a test asks: these scenarios are about the budget itself.
const fx = bundleStoreFixture({ defaults: { localHeadroom: 0 }, size: 100 });

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
    const s = await fx.open({ fs, probeMs: 5 });
    await fx.put(s, 'before');
    fs.fail.write = 'ENOSPC';
    const err = await fx.put(s, 'full').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StoreError);
    expect(err).toMatchObject({ code: 'disk-full', errno: 'ENOSPC' });
    expect(s.has('full')).toBe(false);
    expect(s.stats()).toMatchObject({ count: 1, pendingBytes: 0 });
    expect(await bundleFiles(fx.dir)).toEqual([fileNameFor('before')]);
    expect(await s.get('before')).toEqual(payloadFor('before', 100));
    fs.fail.write = undefined;
    await writableAgain(s);
    expect(await fx.put(s, 'full')).toBe('stored');
    expect(await s.get('full')).toEqual(payloadFor('full', 100));
  });

  it('Scenario: an I/O error after the rename leaves nothing visible', async () => {
    // Only a bundle too large for the journal fsyncs its own file and the directory after the rename.
    const size = JOURNAL_MAX_RECORD + 1;
    const fs = failingFs();
    const s = await fx.open({ fs });
    fs.fail.syncDir = 'EIO';
    await expect(fx.put(s, 'eio', { size })).rejects.toMatchObject({ name: 'StoreError', code: 'io-error', errno: 'EIO' });
    expect(s.has('eio')).toBe(false);
    expect(await bundleFiles(fx.dir)).toEqual([]);
    fs.fail.syncDir = undefined;
    await s.close();
    const s2 = await fx.open();
    expect(s2.stats().count).toBe(0);
    expect(await fx.put(s2, 'eio', { size })).toBe('stored');
  });

  it('Scenario: a journal write that fails leaves nothing visible, even after a reopen', async () => {
    const fs = failingFs();
    const s = await fx.open({ fs, probeMs: 5 });
    expect(await fx.put(s, 'kept')).toBe('stored');
    fs.fail.journal = 'EIO';
    await expect(fx.put(s, 'eio')).rejects.toMatchObject({ name: 'StoreError', code: 'io-error', errno: 'EIO' });
    expect(s.has('eio')).toBe(false);
    expect(await bundleFiles(fx.dir)).toEqual([fileNameFor('kept')]);
    fs.fail.journal = undefined;
    await writableAgain(s);
    expect(await fx.put(s, 'after')).toBe('stored');
    // No close: reopen as after a crash, so the journal is replayed.
    const s2 = await fx.open();
    expect(s2.has('eio')).toBe(false);
    expect(await s2.get('kept')).toEqual(payloadFor('kept', 100));
    expect(await s2.get('after')).toEqual(payloadFor('after', 100));
    await s.close();
  });
});
