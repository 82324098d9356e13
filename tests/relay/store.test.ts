import { readdir } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { JOURNAL_DIR, QUARANTINE_DIR, StoreError, fileNameFor, isBundleName, type BundleMeta, type Priority } from '../../relay/dtn/store/index.ts';
import { bundleStoreFixture, T0 } from '../helpers/bundle-store-fixture.ts';
import { filesIn, payloadFor } from './fixtures/store-payload.ts';

// openspec/specs/bundle-store/spec.md — put, dedupe, hostile ids, typed errors and send order.
// No headroom for local data unless a test asks: these scenarios are about the budget itself.
const fx = bundleStoreFixture({ defaults: { localHeadroom: 0 }, size: 100 });

describe('bundle store: basics and dedupe', () => {
  it('Scenario: a stored bundle reads back identical after reopen', async () => {
    const s = await fx.open();
    expect(await fx.put(s, 'dtn://a/ 1 0')).toBe('stored');
    expect(s.has('dtn://a/ 1 0')).toBe(true);
    expect(s.meta('dtn://a/ 1 0')).toEqual(fx.meta('dtn://a/ 1 0'));
    await s.close();
    const s2 = await fx.open();
    expect(await s2.get('dtn://a/ 1 0')).toEqual(payloadFor('dtn://a/ 1 0', 100));
    expect(s2.ids()).toEqual(['dtn://a/ 1 0']);
  });

  it('Scenario: a second put of the same id is a duplicate and writes nothing', async () => {
    const s = await fx.open();
    expect(await fx.put(s, 'x')).toBe('stored');
    const before = await filesIn(fx.dir);
    const other = fx.meta('x', { size: 5, priority: 0 });
    expect(await s.put(other, new Uint8Array(5))).toBe('duplicate');
    expect(await filesIn(fx.dir)).toEqual(before);
    expect(s.meta('x')?.size).toBe(100);
  });

  it('Scenario: concurrent puts of the same id store it once', async () => {
    const s = await fx.open();
    const results = await Promise.all(Array.from({ length: 10 }, () => fx.put(s, 'same')));
    expect(results.filter((r) => r === 'stored')).toHaveLength(1);
    expect(results.filter((r) => r === 'duplicate')).toHaveLength(9);
    expect([...(await filesIn(fx.dir)).keys()]).toEqual([fileNameFor('same')]);
  });

  it('Scenario: a deleted id can be stored again', async () => {
    const s = await fx.open();
    await fx.put(s, 'again');
    await s.delete('again');
    expect(s.has('again')).toBe(false);
    expect(await s.get('again')).toBeUndefined();
    // delete then put without awaiting in between: the old unlink must not remove the new file
    await fx.put(s, 'again');
    const del = s.delete('again');
    const put = fx.put(s, 'again', { size: 7 });
    await del;
    expect(await put).toBe('stored');
    expect(await s.get('again')).toEqual(payloadFor('again', 7));
  });

  it('Scenario: hostile ids stay inside the store directory', async () => {
    const s = await fx.open();
    const ids = ['../../etc/passwd', '/abs/path', 'a\u0000b', 'nul/..', '\\..\\win', 'é🌱', 'x'.repeat(4096)];
    for (const id of ids) expect(await fx.put(s, id)).toBe('stored');
    const names = await readdir(fx.dir);
    expect(names.filter((n) => n !== QUARANTINE_DIR && n !== JOURNAL_DIR).every(isBundleName)).toBe(true);
    expect(names).toHaveLength(ids.length + 2);
    await s.close();
    const s2 = await fx.open();
    for (const id of ids) expect(await s2.get(id)).toEqual(payloadFor(id, 100));
  });

  it('Scenario: invalid metadata is a typed error', async () => {
    const s = await fx.open();
    const bad: Array<[BundleMeta, number]> = [
      [fx.meta('p', { priority: 7 as Priority }), 100],
      [fx.meta(''), 100],
      [fx.meta('y'.repeat(4097)), 100],
      [fx.meta('aud', { audience: 'everyone' as never }), 100],
      [fx.meta('t', { createdAt: Number.NaN }), 100],
      [fx.meta('size'), 99],
    ];
    for (const [m, n] of bad) {
      const err = await s.put(m, new Uint8Array(n)).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(StoreError);
      expect((err as StoreError).code).toBe('invalid-meta');
    }
    expect(s.stats().count).toBe(0);
  });

  it('Scenario: a closed store refuses calls with a typed error', async () => {
    const s = await fx.open();
    await s.close();
    await expect(fx.put(s, 'late')).rejects.toMatchObject({ name: 'StoreError', code: 'closed' });
    expect(() => s.list()).toThrow(StoreError);
  });
});
describe('bundle store: send order', () => {
  it('Scenario: list returns priority first, then oldest first', async () => {
    const s = await fx.open();
    const rows: Array<[string, Priority, number]> = [
      ['low-old', 3, 1],
      ['norm-new', 2, 9],
      ['emerg-new', 0, 8],
      ['norm-old', 2, 2],
      ['peri', 1, 5],
      ['emerg-old', 0, 3],
    ];
    for (const [id, priority, age] of rows) await fx.put(s, id, { priority, createdAt: T0 + age });
    expect(s.list().map((m) => m.id)).toEqual(['emerg-old', 'emerg-new', 'peri', 'norm-old', 'norm-new', 'low-old']);
  });

  it('Scenario: list filters by priority, audience, destination and excluded ids', async () => {
    const s = await fx.open();
    await fx.put(s, 'a', { priority: 0, audience: 'local' });
    await fx.put(s, 'b', { priority: 2, audience: 'public', destination: 'dtn://~x/inbox' });
    await fx.put(s, 'c', { priority: 2, audience: 'trusted' });
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
