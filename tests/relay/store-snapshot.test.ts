import { createHash } from 'node:crypto';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BundleStore, QUARANTINE_DIR, fileNameFor, nodeFsOps, type BundleMeta, type FsOps } from '../../relay/dtn/store/index.ts';
import { SNAPSHOT_FILE } from '../../relay/dtn/store/index-snapshot.ts';
import type { Entry } from '../../relay/dtn/store/scan.ts';
import type { VerifyOutcome } from '../../relay/dtn/store/verify-pass.ts';
import { decodeSnapshot, encodeSnapshot } from '../../relay/dtn/store/snapshot-codec.ts';
import { bundleStoreFixture } from '../helpers/bundle-store-fixture.ts';
import { payloadFor, removeDir, tempDir } from './fixtures/store-payload.ts';

// openspec/specs/bundle-store/spec.md — a clean close leaves an index snapshot; open trusts it once.
const fx = bundleStoreFixture({ size: 100 });

/** The real file operations, counting header reads: what a full scan at open costs. */
function countingFs(): { fs: FsOps; headReads: () => number } {
  let n = 0;
  return {
    fs: { ...nodeFsOps, readHead: (path, length) => (n++, nodeFsOps.readHead(path, length)) },
    headReads: () => n,
  };
}

describe('bundle store: index snapshot', () => {
  it('Scenario: a store closed cleanly reopens from its index snapshot without reading every header first', async () => {
    const s = await fx.open();
    for (const id of ['a', 'b', 'c']) await fx.put(s, id);
    await s.close();
    expect(await readdir(fx.dir)).toContain(SNAPSHOT_FILE);

    // Header reads wait at a gate: if open() needed them it could not return before the gate opens.
    let openGate = (): void => undefined;
    const gate = new Promise<void>((resolve) => (openGate = resolve));
    const gated: FsOps = { ...nodeFsOps, readHead: async (path, length) => (await gate, nodeFsOps.readHead(path, length)) };
    const s2 = await fx.open({ fs: gated });
    expect(s2.ids().sort()).toEqual(['a', 'b', 'c']);
    openGate();
    expect(await s2.get('b')).toEqual(payloadFor('b', 100));
    // Used once: gone as soon as the store is open, so a crash from here on cannot reuse it.
    expect(await readdir(fx.dir)).not.toContain(SNAPSHOT_FILE);
    expect(await s2.verified()).toEqual({ checked: 3, quarantined: 0, corrected: 0 });
  });

  it('Scenario: after a crash the store reads every header, not an old snapshot', async () => {
    const s = await fx.open();
    for (const id of ['early', 'kept']) await fx.put(s, id);
    await s.close();
    const running = await fx.open(); // takes the snapshot
    await running.delete('early');
    await fx.put(running, 'late');
    // `running` is never closed: as if the relay was killed here.
    const counted = countingFs();
    const after = await fx.open({ fs: counted.fs });
    expect(counted.headReads()).toBeGreaterThanOrEqual(2);
    expect(after.ids().sort()).toEqual(['kept', 'late']);
  });

  it('Scenario: bundle files the snapshot does not name are still found', async () => {
    const s = await fx.open();
    await fx.put(s, 'one');
    await s.close();
    // A bundle file that appeared after the close (e.g. copied from another relay's store by hand).
    const elsewhere = await tempDir();
    try {
      const other = await BundleStore.open(elsewhere, { now: () => fx.clock, logger: { warn: () => undefined, info: () => undefined } });
      await other.put(fx.meta('two'), payloadFor('two', 100));
      await other.close();
      await writeFile(join(fx.dir, fileNameFor('two')), await readFile(join(elsewhere, fileNameFor('two'))));
    } finally {
      await removeDir(elsewhere);
    }
    const s2 = await fx.open();
    expect(s2.ids().sort()).toEqual(['one', 'two']);
    expect(await s2.get('two')).toEqual(payloadFor('two', 100));
  });

  it('Scenario: a damaged snapshot is set aside with a warning and every header is read', async () => {
    const s = await fx.open();
    for (const id of ['x', 'y']) await fx.put(s, id);
    await s.close();
    const path = join(fx.dir, SNAPSHOT_FILE);
    const bytes = await readFile(path);
    bytes[bytes.length - 3] ^= 0x20;
    await writeFile(path, bytes);
    const counted = countingFs();
    const s2 = await fx.open({ fs: counted.fs });
    expect(s2.ids().sort()).toEqual(['x', 'y']);
    expect(counted.headReads()).toBeGreaterThanOrEqual(2);
    expect(fx.warnings.some((w) => /snapshot not used/.test(w.msg ?? ''))).toBe(true);
  });

  it('Scenario: a file damaged while the relay was down is quarantined by the check after open', async () => {
    const s = await fx.open();
    for (const id of ['fine', 'rotten']) await fx.put(s, id);
    await s.close();
    const rotten = join(fx.dir, fileNameFor('rotten'));
    const bytes = await readFile(rotten);
    bytes[20] ^= 0xff; // inside the header
    await writeFile(rotten, bytes);
    const s2 = await fx.open();
    expect(await s2.verified()).toMatchObject({ quarantined: 1 });
    expect(s2.ids()).toEqual(['fine']);
    expect(await readdir(join(fx.dir, QUARANTINE_DIR))).toHaveLength(1);
  });

  /** Four bundles closed cleanly; what the index and the directory held then, to compare a reopen with. */
  async function closedStore(): Promise<{ truth: BundleMeta[]; bytes: number; files: string[]; entries: Entry[] }> {
    const s = await fx.open();
    for (const id of ['a', 'b', 'c', 'd']) await fx.put(s, id, { size: 100 + id.charCodeAt(0) });
    const truth = byId(s.snapshot());
    const bytes = s.stats().bytes;
    await s.close();
    const entries = decodeSnapshot(await readFile(join(fx.dir, SNAPSHOT_FILE)));
    if (typeof entries === 'string') throw new Error(entries);
    return { truth, bytes, files: (await readdir(fx.dir)).filter((n) => n.endsWith('.bundle')).sort(), entries };
  }

  async function expectRepaired(c: { truth: BundleMeta[]; bytes: number; files: string[] }): Promise<VerifyOutcome> {
    const s = await fx.open();
    const outcome = await s.verified();
    expect(byId(s.snapshot())).toEqual(c.truth);
    expect(s.stats().bytes).toBe(c.bytes);
    for (const m of c.truth) expect(await s.get(m.id)).toEqual(payloadFor(m.id, m.size));
    expect((await readdir(fx.dir)).filter((n) => n.endsWith('.bundle')).sort()).toEqual(c.files);
    await s.close();
    return outcome;
  }

  it('Scenario: a forged snapshot that pairs files with the wrong bundles is repaired by the check after open', async () => {
    const c = await closedStore();
    const [a, b, cc, d] = c.entries.sort((x, y) => x.meta.id.localeCompare(y.meta.id)) as [Entry, Entry, Entry, Entry];
    const forged: Entry[] = [
      { ...a, name: b.name }, // a's description on b's file…
      { ...b, name: a.name }, // …and the other way round
      { ...cc, meta: { ...cc.meta, priority: 0, expiresAt: 1, size: 2 ** 40 }, fileBytes: cc.fileBytes - cc.meta.size + 2 ** 40 }, // says expired and huge
      { ...d, name: cc.name }, // a second entry for one file
      { meta: { ...d.meta, id: 'ghost' }, fileBytes: 300, name: fileNameFor('ghost') }, // no such file
    ];
    await writeFile(join(fx.dir, SNAPSHOT_FILE), encodeSnapshot(forged));
    expect((await expectRepaired(c)).corrected).toBeGreaterThanOrEqual(2); // a and b; c was checked at open, before its sweep
    expect(fx.warnings.filter((w) => /quarantined/.test(w.msg ?? ''))).toEqual([]);
  });

  it('Scenario: any change to a snapshot is either refused or repaired by the check after open', async () => {
    const c = await closedStore();
    const good = encodeSnapshot(c.entries);
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 3 }), fc.boolean(), async (flips, seal) => {
        const bytes = Buffer.from(good);
        for (const [at, flip] of flips) bytes[at % bytes.length] ^= flip;
        // Resealed, the change gets past the digest, as a deliberate forgery would.
        if (seal) createHash('sha256').update(bytes.subarray(0, 20)).update(bytes.subarray(52)).digest().copy(bytes, 20);
        await writeFile(join(fx.dir, SNAPSHOT_FILE), bytes);
        await expectRepaired(c);
      }),
      { numRuns: 25 },
    );
  });
});

function byId(metas: BundleMeta[]): BundleMeta[] {
  return metas.sort((x, y) => x.id.localeCompare(y.id));
}
