import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  BundleStore,
  JOURNAL_DIR,
  QUARANTINE_DIR,
  decodeRecord,
  fileNameFor,
  isTempName,
  type BundleMeta,
  type Priority,
  type StoreLogger,
} from '../../relay/dtn/store/index.ts';
import { metaFor, payloadFor, removeDir, tempDir } from './fixtures/store-payload.ts';

const BUDGET = 8000;
const IDS = Array.from({ length: 12 }, (_, i) => `dtn://n${i % 3}/ ${i}`);
const silent: StoreLogger = { warn: () => undefined, info: () => undefined };

interface PutOp {
  kind: 'put';
  id: string;
  priority: Priority;
  size: number;
  ttl: number;
  pinned: boolean;
}
type Op =
  | PutOp
  | { kind: 'burst'; puts: PutOp[] }
  | { kind: 'delete'; id: string }
  | { kind: 'putThenDelete'; put: PutOp }
  | { kind: 'advance'; ms: number }
  | { kind: 'sweep' }
  | { kind: 'reopen' };

const putOp: fc.Arbitrary<PutOp> = fc.record({
  kind: fc.constant('put' as const),
  id: fc.constantFrom(...IDS),
  priority: fc.constantFrom<Priority>(0, 1, 2, 3),
  size: fc.integer({ min: 0, max: 1500 }),
  ttl: fc.integer({ min: 0, max: 5000 }),
  pinned: fc.boolean(),
});

const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: putOp },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('burst' as const), puts: fc.array(putOp, { minLength: 2, maxLength: 6 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('delete' as const), id: fc.constantFrom(...IDS) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('putThenDelete' as const), put: putOp }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: 0, max: 3000 }) }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'sweep' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'reopen' as const }) },
);

function byId(metas: BundleMeta[]): Map<string, BundleMeta> {
  return new Map(metas.map((m) => [m.id, m]));
}

/** What is on disk, read back and fully verified, keyed by id. */
async function onDisk(dir: string): Promise<{ metas: Map<string, BundleMeta>; bytes: number; temps: string[] }> {
  const metas = new Map<string, BundleMeta>();
  let bytes = 0;
  const names = await readdir(dir);
  for (const name of names) {
    if (name === QUARANTINE_DIR || name === JOURNAL_DIR || isTempName(name)) continue;
    const file = new Uint8Array(await readFile(join(dir, name)));
    const { header, payload } = decodeRecord(file);
    expect(name).toBe(fileNameFor(header.meta.id));
    expect(payload).toEqual(payloadFor(header.meta.id, header.meta.size));
    metas.set(header.meta.id, header.meta);
    bytes += file.length;
  }
  return { metas, bytes, temps: names.filter(isTempName) };
}

describe('bundle store: properties', () => {
  it('Scenario: any sequence of put/delete/sweep/reopen keeps the index equal to the disk and within budget', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { maxLength: 25 }), async (ops) => {
        const dir = await tempDir('bundle-store-prop-');
        let clock = 1_000_000;
        const open = (): Promise<BundleStore> =>
          BundleStore.open(dir, { byteBudget: BUDGET, now: () => clock, logger: silent });
        let store = await open();
        const put = async (p: PutOp, alone = true): Promise<void> => {
          const m = metaFor(p.id, { size: p.size, priority: p.priority, pinned: p.pinned, expiresAt: clock + p.ttl }, { now: clock });
          const wasThere = store.has(p.id);
          const result = await store.put(m, payloadFor(p.id, p.size));
          if (p.ttl === 0) expect(result).toBe('expired');
          else if (wasThere) expect(result).toBe('duplicate');
          if (alone && result === 'stored') expect(store.has(p.id) || m.expiresAt <= clock).toBe(true);
          expect(store.stats().bytes).toBeLessThanOrEqual(BUDGET);
        };
        try {
          for (const o of ops) {
            clock += 1;
            if (o.kind === 'put') await put(o);
            else if (o.kind === 'burst') await Promise.all(o.puts.map((p) => put({ ...p, ttl: p.ttl || 1 }, false)));
            else if (o.kind === 'delete') {
              await store.delete(o.id);
              expect(store.has(o.id)).toBe(false);
            } else if (o.kind === 'putThenDelete') {
              const m = metaFor(o.put.id, { size: o.put.size, expiresAt: clock + 1 + o.put.ttl }, { now: clock });
              const [, settled] = await Promise.all([store.put(m, payloadFor(o.put.id, o.put.size)), store.delete(o.put.id)]);
              expect(settled).toBeUndefined();
              expect(store.has(o.put.id)).toBe(false);
            } else if (o.kind === 'advance') clock += o.ms;
            else if (o.kind === 'sweep') {
              await store.sweepExpired();
              expect(store.snapshot().every((m) => m.expiresAt > clock)).toBe(true);
            } else {
              const before = store.snapshot().filter((m) => m.expiresAt > clock);
              await store.close();
              store = await open();
              expect(byId(store.snapshot())).toEqual(byId(before));
            }
            const disk = await onDisk(dir);
            expect(disk.temps).toEqual([]);
            expect(byId(store.snapshot())).toEqual(disk.metas);
            expect(store.stats().bytes).toBe(disk.bytes);
            expect(disk.bytes).toBeLessThanOrEqual(BUDGET);
          }
        } finally {
          await store.close();
          await removeDir(dir);
        }
      }),
      { numRuns: 40 },
    );
  });
});
