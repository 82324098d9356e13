import * as Automerge from '@automerge/automerge';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { IntentRow, IntentTable } from '../../../src/client/local-store.ts';
import { indexRow } from './intent-rows.ts';
import { memoryPages } from '../../../src/client/memory-store.ts';
import { bucketCount, bucketOf, pagedIntentTable, type IntentHead, type IntentPage } from '../../../src/client/paged-intents.ts';

const row = indexRow;

const rowArb = fc.record({ author: fc.constantFrom('a', 'b', 'c'), id: fc.nat(40), updated: fc.nat(50), status: fc.constantFrom('open', 'fulfilled'), sealed: fc.boolean() }).map((r) => row(r.author, r.id, r.updated, r.status, r.sealed));

type Op =
  | { op: 'replace'; author: string; rows: IntentRow[]; keepOld: number }
  | { op: 'put'; rows: IntentRow[] }
  | { op: 'deleteSealed' }
  | { op: 'reopen' };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ op: fc.constant('replace' as const), author: fc.constantFrom('a', 'b', 'c'), rows: fc.array(rowArb, { maxLength: 30 }), keepOld: fc.nat(3) }),
  fc.record({ op: fc.constant('put' as const), rows: fc.array(rowArb, { maxLength: 10 }) }),
  fc.constant({ op: 'deleteSealed' as const }),
  fc.constant({ op: 'reopen' as const }),
);

/** Newest first; equal times by key, descending (what the table promises, and what IndexedDB's index gave). */
const newestFirst = (x: IntentRow, y: IntentRow) => y.updated - x.updated || (x.key < y.key ? 1 : x.key > y.key ? -1 : 0);

async function agrees(table: IntentTable, model: Map<string, IntentRow>, limit: number): Promise<void> {
  const keep = (r: IntentRow) => r.updated % 3 !== 0;
  const all = [...model.values()];
  const expected = all.filter(keep).sort(newestFirst).slice(0, limit).map((r) => r.key);
  // Before anything else reads the table (just reopened), the head may answer: then exactly as `newest` would.
  const early = await table.newestEarly(keep, limit);
  if (early) expect(early.map((r) => r.key)).toEqual(expected);
  expect((await table.newest(keep, limit)).map((r) => r.key)).toEqual(expected);
  expect(await table.newestEarly(keep, limit)).toBeUndefined(); // every row is read: the head has had its use
  expect(await table.countOpen(keep)).toBe(all.filter((r) => r.status === 'open' && keep(r)).length);
  expect((await table.open()).map((r) => r.key).sort()).toEqual(all.filter((r) => r.status === 'open').map((r) => r.key).sort());
  for (const a of ['a', 'b', 'c']) expect((await table.byAuthor(a)).map((r) => r.key).sort()).toEqual(all.filter((r) => r.author === a).map((r) => r.key).sort());
  for (const r of all) expect(await table.get(r.key)).toEqual(r);
}

describe('client: the post index is kept in buckets of one author’s rows', () => {
  it('Scenario: any sequence of replacements, additions, duress deletions and restarts reads like a plain model, bucket by bucket', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 12 }), fc.integer({ min: 1, max: 20 }), fc.constantFrom(1, 2, 5), fc.constantFrom(1, 3, 8, 128), async (ops, limit, perBucket, headRows) => {
        const pages = memoryPages();
        let table = pagedIntentTable(pages, perBucket, headRows);
        const model = new Map<string, IntentRow>();
        for (const o of ops) {
          if (o.op === 'reopen') table = pagedIntentTable(pages, perBucket, headRows);
          else if (o.op === 'deleteSealed') {
            await table.deleteSealed();
            for (const [k, r] of model) if (r.sealed) model.delete(k);
          } else if (o.op === 'put') {
            await table.putRows(o.rows);
            for (const r of o.rows) model.set(r.key, r);
          } else {
            const mine = o.rows.filter((r) => r.author === o.author);
            // Some of the author's stored rows are declared unchanged (kept as they are, not written again).
            const unchanged = new Set([...model.values()].filter((r) => r.author === o.author && (r.updated + o.keepOld) % 2 === 0).map((r) => r.key));
            await table.replaceAuthor(o.author, mine, unchanged);
            for (const [k, r] of model) if (r.author === o.author && !unchanged.has(k)) model.delete(k);
            for (const r of mine) model.set(r.key, r);
          }
          await agrees(table, model, limit);
        }
        // Each author's rows sit in as many buckets as their count needs, each row exactly once.
        const stored = [...pages.pages.values()];
        for (const a of ['a', 'b', 'c']) {
          const mine = [...model.values()].filter((r) => r.author === a).length;
          expect(stored.filter((p) => p.author === a)).toHaveLength(bucketCount(mine, perBucket));
        }
        expect(stored.flatMap((p) => p.rows.map((r) => r.key)).sort()).toEqual([...model.keys()].sort());
        await agrees(pagedIntentTable(pages, perBucket, headRows), model, limit);
      }),
      { numRuns: 150 },
    );
  });

  it('Scenario: a newcomer’s 10,000 posts are stored as a few dozen values, and an edit rewrites one of them', async () => {
    const pages = memoryPages();
    const writes: number[] = [];
    const table = pagedIntentTable({ ...pages, write: async (put, remove, head) => (writes.push(put.length), pages.write(put, remove, head)) });
    const rows = Array.from({ length: 10_000 }, (_, i) => row('a', i, i, 'open', false));
    await table.replaceAuthor('a', rows);
    expect(pages.pages.size).toBe(64); // 10,000 rows at 256 a bucket, rounded up to a power of two
    await table.replaceAuthor('a', [{ ...rows[7], status: 'fulfilled' }], new Set(rows.filter((_, i) => i !== 7).map((r) => r.key)));
    expect(writes).toEqual([64, 1]);
    expect((await table.get(rows[7].key))?.status).toBe('fulfilled');
  });

  it('Scenario: a restarted phone lists its newest posts from the index head before it reads every page', async () => {
    const pages = memoryPages();
    const heads: number[] = [];
    const writer = pagedIntentTable({ ...pages, write: async (put, remove, head) => (heads.push(head?.rows.length ?? 0), pages.write(put, remove, head)) });
    const rows = Array.from({ length: 10_000 }, (_, i) => row(`m${i % 7}`, i, i, i % 10 === 0 ? 'fulfilled' : 'open', false));
    await writer.putRows(rows);
    // An edit far from the top leaves the head as it was: it is not written again.
    await writer.putRows([{ ...rows[5], status: 'fulfilled' }]);
    expect(heads.at(-1)).toBe(0);

    let pagesRead = 0;
    const restarted = pagedIntentTable({ ...pages, all: async () => (pagesRead++, pages.all()) });
    const open = (r: IntentRow) => r.status === 'open';
    const first = await restarted.newestEarly(open, 50);
    expect(first?.map((r) => r.updated)).toEqual(rows.filter(open).reverse().slice(0, 50).map((r) => r.updated));
    expect(pagesRead).toBe(0);
    // A filter the head cannot fill waits for every page (and `newest` answers it).
    expect(await restarted.newestEarly((r) => r.author === 'm3' && r.status !== 'open', 50)).toBeUndefined();
    expect(await restarted.newest((r) => r.author === 'm3' && r.status !== 'open', 50)).toHaveLength(50);
    expect(pagesRead).toBe(1);

    // A damaged head is no head: the list waits for the pages instead.
    pages.stored.head = { rows: [{ key: 7 }], complete: 'yes' } as unknown as IntentHead;
    expect(await pagedIntentTable(pages).newestEarly(open, 50)).toBeUndefined();
    // A refused write leaves the head that goes with the pages on disk.
    pages.stored.head = undefined;
    await expect(pagedIntentTable({ ...pages, write: async () => Promise.reject(new Error('QuotaExceededError')) }).putRows([row('m1', 99_999, 99_999, 'open', false)])).rejects.toThrow();
    expect(pages.stored.head).toBeUndefined();
  });

  it('Scenario: a write the disk refuses changes nothing the phone shows; broken pages on disk are skipped, not fatal', async () => {
    const pages = memoryPages();
    const first = pagedIntentTable(pages);
    await first.replaceAuthor('a', [row('a', 1, 1, 'open', false)]);
    const failing = pagedIntentTable({ ...pages, write: async () => Promise.reject(new Error('QuotaExceededError')) });
    await expect(failing.replaceAuthor('a', [row('a', 2, 2, 'open', false)])).rejects.toThrow('QuotaExceededError');
    expect((await failing.byAuthor('a')).map((r) => r.key)).toEqual(['a/1']);
    // A later write still goes through (one refusal does not jam the queue).
    await expect(failing.putRows([])).resolves.toBeUndefined();

    const junk = [{ id: 'x', author: 'b', bucket: -1, rows: [] }, { id: 'y', author: 'c', bucket: 0, rows: [{ key: 1 }] }, null] as unknown as IntentPage[];
    const broken = pagedIntentTable({ ...pages, all: async () => [...(await pages.all()), ...junk] });
    expect((await broken.newest(() => true, 10)).map((r) => r.key)).toEqual(['a/1']);
    const unreadable = pagedIntentTable({ ...pages, all: async () => Promise.reject(new Error('corrupt')) });
    expect(await unreadable.countOpen(() => true)).toBe(0);
  });

  it('Scenario: rows stored in the wrong bucket, or twice, are read once and never come back after an edit or a deletion', async () => {
    const pages = memoryPages();
    const key = (id: number) => `a/${id}`;
    // Two buckets for author a; row 1 in the bucket its key does not hash to, row 2 in both (older copy misplaced).
    const home = (id: number) => bucketOf(key(id), 2);
    const page = (bucket: number, rows: IntentRow[]): IntentPage => ({ id: `a\u0000${bucket}`, author: 'a', bucket, rows });
    const r1 = row('a', 1, 5, 'open', false);
    const r2old = row('a', 2, 1, 'open', false);
    const r2 = row('a', 2, 9, 'fulfilled', false);
    const byBucket: IntentRow[][] = [[], []];
    byBucket[1 - home(1)].push(r1);
    byBucket[1 - home(2)].push(r2old);
    byBucket[home(2)].push(r2);
    await pages.write([page(0, byBucket[0]), page(1, byBucket[1]), { id: 'z', author: 'z', bucket: 2 ** 40, rows: [] }], []);

    const first = pagedIntentTable(pages, 1);
    // Read once each; of two copies, the newer.
    expect((await first.byAuthor('a')).map((r) => [r.key, r.status]).sort()).toEqual([['a/1', 'open'], ['a/2', 'fulfilled']]);
    // Row 1 withdrawn from the feed, row 2 unchanged, a new row whose bucket is row 1's own: the count of
    // buckets stays two, so only that bucket needs writing were the layout right.
    const id3 = [...Array(100).keys()].find((i) => i > 2 && home(i) === home(1))!;
    await first.replaceAuthor('a', [row('a', id3, 11, 'open', false)], new Set([key(2)]));
    const again = pagedIntentTable(pages, 1);
    expect((await again.byAuthor('a')).map((r) => [r.key, r.status]).sort()).toEqual([['a/2', 'fulfilled'], [key(id3), 'open']].sort());
    // Each row stored once, in its own bucket.
    const stored = [...pages.pages.values()].filter((p) => p.author === 'a');
    expect(stored.flatMap((p) => p.rows.map((r) => [r.key, p.bucket])).sort()).toEqual([[key(2), home(2)], [key(id3), home(id3)]].sort());
    // The damaged page with a bucket number no author needs was skipped.
    expect(await again.byAuthor('z')).toEqual([]);
  });

  it('Scenario: a post read back from the index can be written into a doc again (rows are plain data, as IndexedDB keeps them)', async () => {
    // A record as a feed read hands it over: straight out of an Automerge doc, photo list and all.
    const source = Automerge.from<{ intents: Record<string, unknown> }>({ intents: { p1: { id: 'p1', name: 'Winter coat', attachments: ['f1'] } } });
    const table = pagedIntentTable(memoryPages());
    await table.replaceAuthor('a', [{ ...row('a', 1, 1, 'open', false), record: source.intents.p1 as never }]);
    const back = (await table.get('a/1'))!.record as unknown as Record<string, unknown>;
    const target = Automerge.change(source, (d) => void (d.intents.p1 = { ...back, status: 'fulfilled' }));
    expect(target.intents.p1).toMatchObject({ name: 'Winter coat', status: 'fulfilled', attachments: ['f1'] });
  });
});
