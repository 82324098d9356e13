/**
 * What every LocalStore (src/client/local-store.ts) must do: the client treats the in-memory one (Node)
 * and the IndexedDB one (the phone) alike, so both run this suite. A store that keeps its rows across a
 * restart also gives `reopen`, and then must show the same rows after it.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CarriedMeta, IntentRow, LocalStore } from '../../../src/client/local-store.ts';
import { indexRow } from '../client/intent-rows.ts';

export interface LocalStoreHarness {
  /** A fresh, empty store. */
  store: LocalStore;
  /** The same storage opened again, as after the phone restarts; absent for a store that keeps nothing. */
  reopen?: () => LocalStore;
}

const meta = (id: string, priority: number): CarriedMeta => ({ id, kind: 'change', priority, expiresAt: 9e12, from: 'ipn:1.0', size: 3, taken: 1, created: 1 });

const rowsArb = fc
  .uniqueArray(fc.record({ author: fc.constantFrom('a', 'b', 'c'), id: fc.nat(50), updated: fc.nat(10_000), status: fc.constantFrom('open', 'fulfilled') }), { selector: (r) => r.updated, maxLength: 40 })
  .map((rs) => rs.map((r) => indexRow(r.author, r.id, r.updated, r.status)));

export function runLocalStoreContract(name: string, setup: () => LocalStoreHarness, runs = 60): void {
  describe(`LocalStore contract (${name})`, () => {
    it('Scenario: per-author replacement, newest-first pages and open counts agree with a plain model', async () => {
      await fc.assert(
        fc.asyncProperty(rowsArb, rowsArb, fc.integer({ min: 1, max: 30 }), fc.constantFrom('a', 'b', 'c'), async (before, after, limit, author) => {
          const { store } = setup();
          const model = new Map<string, IntentRow>();
          for (const a of ['a', 'b', 'c']) {
            const mine = before.filter((r) => r.author === a);
            await store.intents.replaceAuthor(a, mine);
            for (const r of mine) model.set(r.key, r);
          }
          const replacement = after.filter((r) => r.author === author);
          await store.intents.replaceAuthor(author, replacement);
          for (const [k, r] of model) if (r.author === author) model.delete(k);
          for (const r of replacement) model.set(r.key, r);

          const keep = (r: IntentRow) => r.updated % 3 !== 0;
          // Newest first; rows of the same moment (one from each list can share it) by key, descending, as the table promises.
          const expected = [...model.values()].filter(keep).sort((x, y) => y.updated - x.updated || (x.key < y.key ? 1 : x.key > y.key ? -1 : 0)).slice(0, limit);
          expect((await store.intents.newest(keep, limit)).map((r) => r.key)).toEqual(expected.map((r) => r.key));
          expect(await store.intents.countOpen(keep)).toBe([...model.values()].filter((r) => r.status === 'open' && keep(r)).length);
          for (const r of model.values()) expect(await store.intents.get(r.key)).toEqual(r);
        }),
        { numRuns: runs },
      );
    });

    it('Scenario: a device setting is read back as written, bytes and all, until it is deleted', async () => {
      const { store } = setup();
      const value = { identity: new Uint8Array([1, 2, 3]), nested: { pin: null, n: 7 } };
      await store.settings.set('identity', value);
      await store.settings.set('language', 'es');
      await store.settings.set('language', 'en');
      expect(await store.settings.get('identity')).toEqual(value);
      expect(await store.settings.get('language')).toBe('en');
      expect((await store.settings.keys()).sort()).toEqual(['identity', 'language']);
      await store.settings.delete(['identity', 'never-set']);
      expect(await store.settings.get('identity')).toBeUndefined();
      expect(await store.settings.keys()).toEqual(['language']);
      // Several in one write: all of them, or (a value that cannot be stored among them) none.
      await store.settings.setMany([['name', 'Bea'], ['feedUrl', 'automerge:x']]);
      expect([await store.settings.get('name'), await store.settings.get('feedUrl')]).toEqual(['Bea', 'automerge:x']);
      await expect(store.settings.setMany([['anchors', ['a']], ['broken', () => undefined]])).rejects.toThrow();
      expect(await store.settings.get('anchors')).toBeUndefined();
    });

    it('Scenario: a shared file’s chunks and its entry are kept, pinned, counted and dropped', async () => {
      const { store } = setup();
      await store.chunks.put({ hash: 'h1', sealed: new Uint8Array(10), size: 10 });
      await store.chunks.put({ hash: 'h2', sealed: new Uint8Array(5), size: 5 });
      expect(await store.chunks.totalSize()).toBe(15);
      expect((await store.chunks.hashes()).sort()).toEqual(['h1', 'h2']);
      expect((await store.chunks.get('h2'))?.sealed).toEqual(new Uint8Array(5));
      await store.chunks.delete(['h1']);
      expect(await store.chunks.totalSize()).toBe(5);
      expect(await store.chunks.get('h1')).toBeUndefined();

      const manifest = { id: 'f1' } as never;
      await store.files.put({ id: 'f1', manifest, pinned: false, added: 1 });
      await store.files.setPinned('f1', true);
      await store.files.setPinned('nobody', true); // a file that is gone stays gone
      expect(await store.files.get('f1')).toEqual({ id: 'f1', manifest, pinned: true, added: 1 });
      expect(await store.files.all()).toHaveLength(1);
      await store.files.delete('f1');
      expect(await store.files.all()).toEqual([]);
    });

    it('Scenario: a carried bundle keeps its meta and sealed bytes together, and both go at once', async () => {
      const { store } = setup();
      await store.carried.put(meta('b1', 2), new Uint8Array([9, 9]));
      await store.carried.put(meta('b2', 0), new Uint8Array([8]));
      expect((await store.carried.list()).map((m) => m.id).sort()).toEqual(['b1', 'b2']);
      expect(await store.carried.sealed('b1')).toEqual(new Uint8Array([9, 9]));
      await store.carried.delete(['b1']);
      expect((await store.carried.list()).map((m) => m.id)).toEqual(['b2']);
      expect(await store.carried.sealed('b1')).toBeUndefined();
    });

    const reopenable = setup().reopen !== undefined;
    if (reopenable) {
      it('Scenario: after a restart the phone finds its settings, posts, files and carried bundles as it left them', async () => {
        const h = setup();
        await h.store.settings.set('language', 'es');
        await h.store.intents.replaceAuthor('a', [indexRow('a', 1, 10, 'open'), indexRow('a', 2, 20, 'open', true)]);
        await h.store.chunks.put({ hash: 'h', sealed: new Uint8Array([1]), size: 1 });
        await h.store.files.put({ id: 'f', manifest: { id: 'f' } as never, pinned: true, added: 2 });
        await h.store.carried.put(meta('b', 1), new Uint8Array([7]));
        const again = h.reopen!();
        expect(await again.settings.get('language')).toBe('es');
        // The first page comes from the index's head, stored with its pages, before the pages are read.
        expect((await again.intents.newestEarly(() => true, 10))?.map((r) => r.key)).toEqual(['a/2', 'a/1']);
        expect((await again.intents.newest(() => true, 10)).map((r) => r.key)).toEqual(['a/2', 'a/1']);
        expect((await again.intents.get('a/2'))?.sealed).toEqual(new Uint8Array([2]));
        expect(await again.chunks.totalSize()).toBe(1);
        expect((await again.files.get('f'))?.pinned).toBe(true);
        expect(await again.carried.sealed('b')).toEqual(new Uint8Array([7]));
      });
    }
  });
}
