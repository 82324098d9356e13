import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { QUARANTINE_DIR, fileNameFor, isTempName, nodeFsOps, type FsOps } from '../../relay/dtn/store/index.ts';
import { bundleStoreFixture } from '../helpers/bundle-store-fixture.ts';
import { filesIn, payloadFor } from './fixtures/store-payload.ts';

// openspec/specs/bundle-store/spec.md — damaged files found at open or read are quarantined.
// No headroom for local data unless a test asks: these scenarios are about the budget itself.
const fx = bundleStoreFixture({ defaults: { localHeadroom: 0 }, size: 100 });

describe('bundle store: integrity', () => {
  it('Scenario: corrupt and truncated files are quarantined on open, with a warning', async () => {
    const s = await fx.open();
    for (const id of ['good', 'flipped', 'truncated']) await fx.put(s, id);
    await s.close();
    const flipped = join(fx.dir, fileNameFor('flipped'));
    const bytes = await readFile(flipped);
    bytes[20] ^= 0xff; // inside the header JSON: the header checksum no longer matches
    await writeFile(flipped, bytes);
    const truncated = join(fx.dir, fileNameFor('truncated'));
    await writeFile(truncated, (await readFile(truncated)).subarray(0, 150));
    await writeFile(join(fx.dir, fileNameFor('garbage')), 'not a bundle at all');
    await writeFile(join(fx.dir, 'README'), 'someone else’s file');

    const s2 = await fx.open();
    // Opened from the clean-close index snapshot: the files it vouched for are checked in the background.
    await s2.verified();
    expect(s2.ids()).toEqual(['good']);
    expect(await s2.get('good')).toEqual(payloadFor('good', 100));
    expect((await readdir(join(fx.dir, QUARANTINE_DIR))).length).toBe(3);
    const quarantined = fx.warnings.filter((w) => /quarantined/.test(w.msg ?? ''));
    expect(quarantined).toHaveLength(3);
    expect(await readdir(fx.dir)).toEqual(expect.arrayContaining([fileNameFor('good'), 'README']));
  });

  it('Scenario: a file stored under another id’s name is quarantined on open', async () => {
    const s = await fx.open();
    await fx.put(s, 'one');
    await s.close();
    const { rename } = await import('node:fs/promises');
    await rename(join(fx.dir, fileNameFor('one')), join(fx.dir, fileNameFor('two')));
    const s2 = await fx.open();
    expect(s2.stats().count).toBe(0);
    expect(await readdir(join(fx.dir, QUARANTINE_DIR))).toHaveLength(1);
  });

  it('Scenario: payload corruption is detected on read and the file quarantined', async () => {
    const s = await fx.open();
    await fx.put(s, 'rot');
    await s.close();
    const path = join(fx.dir, fileNameFor('rot'));
    const bytes = await readFile(path);
    bytes[bytes.length - 1] ^= 1;
    await writeFile(path, bytes);
    const s2 = await fx.open(); // headers only: opens fine
    expect(s2.has('rot')).toBe(true);
    expect(await s2.get('rot')).toBeUndefined();
    expect(s2.has('rot')).toBe(false);
    expect(await readdir(join(fx.dir, QUARANTINE_DIR))).toHaveLength(1);
    expect(fx.warnings.some((w) => /payload checksum/.test(JSON.stringify(w.obj)))).toBe(true);
  });

  it('Scenario: an unreadable file is quarantined and open still succeeds', async () => {
    const s = await fx.open();
    await fx.put(s, 'fine');
    await fx.put(s, 'bad-sector');
    await s.close();
    const badName = fileNameFor('bad-sector');
    const fs: FsOps = {
      ...nodeFsOps,
      readHead: async (path, length) => {
        if (path.endsWith(badName)) throw Object.assign(new Error('EIO: simulated bad sector'), { code: 'EIO' });
        return nodeFsOps.readHead(path, length);
      },
    };
    const s2 = await fx.open({ fs });
    await s2.verified();
    expect(s2.ids()).toEqual(['fine']);
    expect(await readdir(join(fx.dir, QUARANTINE_DIR))).toHaveLength(1);
    expect(fx.warnings.some((w) => /unreadable: EIO/.test(JSON.stringify(w.obj)))).toBe(true);
  });

  it('Scenario: quarantine stays within the headroom above the high-water mark', async () => {
    const budget = 6000; // headroom 300 bytes: room for small damaged files, not for a ~380-byte bundle file
    const s = await fx.open({ byteBudget: budget });
    for (const id of ['q1', 'q2', 'keep']) await fx.put(s, id);
    await s.close();
    for (const id of ['q1', 'q2']) await writeFile(join(fx.dir, fileNameFor(id)), 'damaged');
    const s2 = await fx.open({ byteBudget: budget });
    await s2.verified();
    expect([...(await filesIn(join(fx.dir, QUARANTINE_DIR))).values()]).toEqual([7, 7]);
    await s2.close();
    const path = join(fx.dir, fileNameFor('keep'));
    const bytes = await readFile(path);
    expect(bytes.length).toBeGreaterThan(300);
    bytes[bytes.length - 1] ^= 1;
    await writeFile(path, bytes);
    const s3 = await fx.open({ byteBudget: budget });
    await s3.verified();
    expect(await s3.get('keep')).toBeUndefined();
    // the large damaged file did not fit the headroom: dropped (with a warning), the small ones kept
    expect([...(await filesIn(join(fx.dir, QUARANTINE_DIR))).values()]).toEqual([7, 7]);
    expect(fx.warnings.filter((w) => /quarantined/.test(w.msg ?? ''))).toHaveLength(3);
  });

  it('Scenario: leftover temp files are removed at open', async () => {
    await writeFile(join(fx.dir, '.tmp-deadbeef'), 'half a bundle');
    const s = await fx.open();
    expect(s.stats().count).toBe(0);
    expect((await readdir(fx.dir)).filter(isTempName)).toEqual([]);
  });
});
