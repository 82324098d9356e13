/**
 * The LocalStore contract run against the in-memory store and the phone's IndexedDB store. IndexedDB
 * here is fake-indexeddb (a complete IndexedDB in JS, the one a Node process can have); the e2e suite
 * runs the same store in Chromium. Beside the contract: a database the phones before this version made
 * through Dexie opens with all its rows, and a wipe is not held up by the store's open connection.
 */
import 'fake-indexeddb/auto';
import Dexie from 'dexie';
import { describe, expect, it } from 'vitest';
import { memoryStore } from '../../../src/client/memory-store.ts';
import { indexedDbStore, openLocalDb } from '../../../src/platform/local-db.ts';
import { indexRow } from '../client/intent-rows.ts';
import { runLocalStoreContract } from './local-store-suite.ts';

let dbs = 0;
const freshName = (): string => `local-store-${++dbs}`;

runLocalStoreContract('in memory', () => ({ store: memoryStore() }), 200);
runLocalStoreContract('IndexedDB', () => {
  const name = freshName();
  return { store: indexedDbStore(name), reopen: () => indexedDbStore(name) };
});

/** The schema the phone’s Dexie tables had (src/platform/db.ts until this change), as the last Dexie version shipped it (Dexie 4.4.7). */
function dexieMade(name: string, upTo = 4): Dexie {
  const db = new Dexie(name);
  db.version(1).stores({ intents: 'key, kind, category, area, author, status, updated', settings: 'key' });
  if (upTo >= 2) db.version(2).stores({ chunks: 'hash', files: 'id, added' });
  if (upTo >= 3) db.version(3).stores({ carried: 'id', carriedBytes: 'id' });
  if (upTo >= 4) db.version(4).stores({ intents: null, intentPages: 'id' });
  return db;
}

function deleted(name: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.deleteDatabase(name);
    req.onsuccess = () => resolve();
    req.onerror = () => reject(req.error);
  });
}

describe('phone storage: upgrading from the Dexie tables', () => {
  it('Scenario: a phone upgraded from the Dexie version finds its identity, language, posts, files and carried bundles', async () => {
    const name = freshName();
    const old = dexieMade(name);
    const identity = { sealed: new Uint8Array([5, 6, 7]) };
    await old.table('settings').bulkPut([{ key: 'identity', value: identity }, { key: 'language', value: 'es' }]);
    await old.table('chunks').put({ hash: 'h', sealed: new Uint8Array([1, 2]), size: 2 });
    await old.table('files').put({ id: 'f', manifest: { id: 'f' }, pinned: true, added: 3 });
    await old.table('carried').put({ id: 'b', kind: 'message', priority: 1, expiresAt: 9e12, from: 'ipn:2.0', size: 1, taken: 1, created: 1 });
    await old.table('carriedBytes').put({ id: 'b', sealed: new Uint8Array([4]) });
    // The page the old phone's post index wrote, read through the new store.
    const writer = indexedDbStore(freshName());
    await writer.intents.replaceAuthor('a', [indexRow('a', 1, 10, 'open')]);
    // (The new store keeps the index's head among the pages too; the old phone had none.)
    const page = (await (await openLocalDb(`local-store-${dbs}`, () => undefined)).getAll('intentPages')).find((v) => 'author' in v);
    await old.table('intentPages').put(page);
    old.close();

    const store = indexedDbStore(name);
    expect(await store.settings.get('identity')).toEqual(identity);
    expect(await store.settings.get('language')).toBe('es');
    expect((await store.intents.newest(() => true, 5)).map((r) => r.key)).toEqual(['a/1']);
    expect(await store.chunks.totalSize()).toBe(2);
    expect((await store.files.get('f'))?.pinned).toBe(true);
    expect(await store.carried.sealed('b')).toEqual(new Uint8Array([4]));
    await store.settings.set('language', 'en');
    expect(await indexedDbStore(name).settings.get('language')).toBe('en');
  });

  it('Scenario: a phone last opened at the first Dexie version drops the old post table and gains the new ones', async () => {
    const name = freshName();
    const old = dexieMade(name, 1);
    await old.table('settings').put({ key: 'language', value: 'es' });
    await old.table('intents').put({ key: 'a/1', kind: 'offer', category: 'food', area: '', author: 'a', status: 'open', updated: 1 });
    old.close();
    const db = await openLocalDb(name, () => undefined);
    expect([...db.objectStoreNames].sort()).toEqual(['carried', 'carriedBytes', 'chunks', 'files', 'intentPages', 'settings']);
    db.close();
    expect(await indexedDbStore(name).settings.get('language')).toBe('es');
  });
});

describe('phone storage: a wipe', () => {
  it('Scenario: a wipe deletes the database the phone holds open, and the phone starts empty after it', async () => {
    const name = freshName();
    const store = indexedDbStore(name);
    await store.settings.set('identity', 'secret');
    await deleted(name); // would wait forever if the open connection did not give way
    expect(await store.settings.get('identity')).toBeUndefined();
    expect(await store.settings.keys()).toEqual([]);
  });
});

describe('phone storage: a refused open', () => {
  it('Scenario: a browser that refuses the phone its tables once gives them on the next use, and nothing is lost', async () => {
    const name = freshName();
    await indexedDbStore(name).settings.set('language', 'es');
    const store = indexedDbStore(name);
    const open = indexedDB.open.bind(indexedDB);
    indexedDB.open = () => {
      throw new DOMException('The user denied permission to access the database.', 'InvalidStateError');
    };
    try {
      await expect(store.settings.get('language')).rejects.toThrow();
    } finally {
      indexedDB.open = open;
    }
    expect(await store.settings.get('language')).toBe('es');
  });
});
