import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { JOURNAL_DIR, fileNameFor, nodeFsOps, type FsOps } from '../../relay/dtn/store/index.ts';
import { bundleStoreFixture } from '../helpers/bundle-store-fixture.ts';
import { payloadFor } from './fixtures/store-payload.ts';

// openspec/specs/bundle-store/spec.md — the journal: shared flushes and restoring what a crash lost.
// No headroom for local data unless a test asks: these scenarios are about the budget itself.
const fx = bundleStoreFixture({ defaults: { localHeadroom: 0 }, size: 100 });

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
    const s = await fx.open({ fs });
    const ids = Array.from({ length: 64 }, (_, i) => `burst ${i}`);
    expect(await Promise.all(ids.map((id) => fx.put(s, id)))).toEqual(ids.map(() => 'stored'));
    // One fdatasync per batch: puts that arrive while one runs join the next.
    expect(appends).toBeGreaterThan(0);
    expect(appends).toBeLessThan(ids.length / 2);
    for (const id of ids) expect(await s.get(id)).toEqual(payloadFor(id, 100));
  });

  it('Scenario: a bundle file lost or torn by a crash is restored from the journal at open', async () => {
    const s = await fx.open();
    for (const id of ['lost', 'torn', 'fine']) expect(await fx.put(s, id)).toBe('stored');
    // As a power cut could leave them: the journal flush was durable, the files' own writes were not.
    const { unlink, truncate } = await import('node:fs/promises');
    await unlink(join(fx.dir, fileNameFor('lost')));
    await truncate(join(fx.dir, fileNameFor('torn')), 20);
    const s2 = await fx.open(); // no close: the journal is still there, as after a crash
    for (const id of ['lost', 'torn', 'fine']) expect(await s2.get(id)).toEqual(payloadFor(id, 100));
    expect(fx.warnings).toEqual([]);
    await s2.close();
    await s.close();
    expect((await readdir(join(fx.dir, JOURNAL_DIR))).length).toBe(0);
  });
});
