import { openDB, type DBSchema, type IDBPDatabase, type IDBPTransaction, type StoreNames } from 'idb';
import { pagedIntentTable, type IntentHead, type IntentPage } from '../client/paged-intents.ts';
import type { CarriedMeta, ChunkRow, FileRow, LocalStore } from '../client/local-store.ts';
import { LOCAL_DB_NAME } from './database-names.ts';

export interface SettingRow {
  key: string;
  value: unknown;
}

/**
 * Local-only tables in IndexedDB. Docs are the truth; these are indexes rebuilt from them, plus device
 * settings. Every table is a plain key → row store: nothing here queries an index, so the thin `idb`
 * wrapper (about 1 KB) does what Dexie (about 30 KB of the phone's JS) did.
 */
interface LocalSchema extends DBSchema {
  /** The post index, in buckets of one author's rows (client/paged-intents.ts says why), and its head. */
  intentPages: { key: string; value: IntentPage | StoredHead };
  settings: { key: string; value: SettingRow };
  chunks: { key: string; value: ChunkRow };
  files: { key: string; value: FileRow };
  /** Bundles carried for other islands: meta, and the bytes sealed under the data key (src/client/carry.ts). */
  carried: { key: string; value: CarriedMeta };
  carriedBytes: { key: string; value: { id: string; sealed: Uint8Array } };
}

/**
 * The index's head lives among its pages, so one transaction writes both. A page id is an author's id,
 * a NUL and a bucket number; author ids are never empty, so this id is no page's.
 */
const HEAD_ID = '\u0000head';
interface StoredHead {
  id: typeof HEAD_ID;
  head: IntentHead;
}
const isHead = (v: IntentPage | StoredHead): v is StoredHead => v.id === HEAD_ID;

type LocalDb = IDBPDatabase<LocalSchema>;
type Writing = IDBPTransaction<LocalSchema, StoreNames<LocalSchema>[], 'readwrite'>;

/** Each table and the field its rows are keyed by, as the phones before this version made them. */
const TABLES: ReadonlyArray<readonly [StoreNames<LocalSchema>, string]> = [
  ['intentPages', 'id'],
  ['settings', 'key'],
  ['chunks', 'hash'],
  ['files', 'id'],
  ['carried', 'id'],
  ['carriedBytes', 'id'],
];

/** Above the 40 of the last Dexie schema, so the first upgrade of such a database is a real one. */
const LOCAL_DB_VERSION = 50;

/**
 * Opens the phone's local database (the global `indexedDB`) as it stands, and upgrades it only when a
 * table is missing. Phones before this version kept these tables through Dexie (schema version 4,
 * IndexedDB version 40, as Dexie multiplies by ten, or higher if Dexie ever bumped it): their tables
 * and rows stay as they are, so nobody loses a setting, a carried bundle or a kept file. A fresh phone
 * makes every table at once.
 * While it is open, a wipe's `deleteDatabase` or another tab's upgrade would wait for it: it closes as
 * soon as either asks, and `onClosed` lets its owner open it again on next use.
 */
export async function openLocalDb(name: string, onClosed: () => void): Promise<LocalDb> {
  const hooks = {
    blocking(_current: number, _next: number | null, event: IDBVersionChangeEvent) {
      (event.target as IDBDatabase).close();
      onClosed();
    },
    terminated: onClosed,
  };
  const current = await openDB<LocalSchema>(name, undefined, hooks);
  const has = (store: string): boolean => (current.objectStoreNames as unknown as DOMStringList).contains(store);
  if (TABLES.every(([store]) => has(store)) && !has('intents')) return current;
  const next = Math.max(current.version + 1, LOCAL_DB_VERSION);
  current.close();
  return openDB<LocalSchema>(name, next, {
    ...hooks,
    upgrade(db) {
      const names = db.objectStoreNames as unknown as DOMStringList;
      // Dexie version 1's row-per-post table went in its version 4: a phone that never opened that drops it here.
      if (names.contains('intents')) db.deleteObjectStore('intents' as StoreNames<LocalSchema>);
      for (const [store, keyPath] of TABLES) if (!names.contains(store)) db.createObjectStore(store, { keyPath });
    },
  });
}

/** The phone's LocalStore over IndexedDB, opened on first use and again after something closed it. */
export function indexedDbStore(name = LOCAL_DB_NAME): LocalStore {
  let opening: Promise<LocalDb> | null = null;
  const reopen = (): null => (opening = null);
  // A failed open is not kept: the next use tries again (a browser that refused IndexedDB for a moment).
  const db = (): Promise<LocalDb> =>
    (opening ??= openLocalDb(name, reopen).catch((err: unknown) => {
      reopen();
      throw err;
    }));
  /** One transaction over `stores`: every request is issued before the first await, so it cannot commit early. */
  const write = async (stores: StoreNames<LocalSchema>[], body: (tx: Writing) => unknown[]): Promise<void> => {
    const tx: Writing = (await db()).transaction(stores, 'readwrite');
    let requests: unknown[];
    try {
      requests = body(tx);
    } catch (err) {
      // A request the body could not make: none of those it made is kept (they fail with AbortError).
      tx.done.catch(() => undefined);
      tx.abort();
      throw err;
    }
    await Promise.all([...requests, tx.done]);
  };
  return {
    settings: {
      get: async <T>(key: string) => (await (await db()).get('settings', key))?.value as T | undefined,
      set: async (key, value) => void (await (await db()).put('settings', { key, value })),
      setMany: async (rows) => {
        // Cloned first: a value that cannot be stored fails here, before the write makes any request.
        const copies = rows.map(([key, value]) => ({ key, value: structuredClone(value) }));
        return write(['settings'], (tx) => copies.map((row) => tx.objectStore('settings').put(row)));
      },
      delete: (keys) => write(['settings'], (tx) => keys.map((k) => tx.objectStore('settings').delete(k))),
      keys: async () => (await db()).getAllKeys('settings'),
    },
    intents: pagedIntentTable({
      // Every page id sorts after the head's (it starts with an author id, never NUL): the read skips the head
      // rather than deserialising its rows to drop them. The filter stays as the guard of that rule.
      all: async () => (await (await db()).getAll('intentPages', IDBKeyRange.lowerBound(HEAD_ID, true))).filter((v): v is IntentPage => !isHead(v)),
      head: async () => {
        const v = await (await db()).get('intentPages', HEAD_ID);
        return v && isHead(v) ? v.head : undefined;
      },
      write: (put, remove, head) =>
        write(['intentPages'], (tx) => {
          const pages = tx.objectStore('intentPages');
          return [...remove.map((id) => pages.delete(id)), ...put.map((p) => pages.put(p)), ...(head ? [pages.put({ id: HEAD_ID, head })] : [])];
        }),
    }),
    chunks: {
      get: async (hash) => (await db()).get('chunks', hash),
      put: async (row) => void (await (await db()).put('chunks', row)),
      hashes: async () => (await db()).getAllKeys('chunks'),
      delete: (hashes) => write(['chunks'], (tx) => hashes.map((h) => tx.objectStore('chunks').delete(h))),
      totalSize: async () => {
        // A cursor, not getAll: the sealed bytes of every chunk need not be in memory at once.
        let bytes = 0;
        for (let c = await (await db()).transaction('chunks').store.openCursor(); c; c = await c.continue()) bytes += c.value.size;
        return bytes;
      },
    },
    files: {
      get: async (id) => (await db()).get('files', id),
      put: async (row) => void (await (await db()).put('files', row)),
      all: async () => (await db()).getAll('files'),
      setPinned: async (id, pinned) => {
        const tx = (await db()).transaction('files', 'readwrite');
        const row = await tx.store.get(id);
        if (row) await tx.store.put({ ...row, pinned });
        await tx.done;
      },
      delete: async (id) => (await db()).delete('files', id),
    },
    carried: {
      put: (meta, sealed) =>
        write(['carried', 'carriedBytes'], (tx) => [tx.objectStore('carriedBytes').put({ id: meta.id, sealed }), tx.objectStore('carried').put(meta)]),
      list: async () => (await db()).getAll('carried'),
      sealed: async (id) => (await (await db()).get('carriedBytes', id))?.sealed,
      delete: (ids) =>
        write(['carried', 'carriedBytes'], (tx) => ids.flatMap((id) => [tx.objectStore('carried').delete(id), tx.objectStore('carriedBytes').delete(id)])),
    },
  };
}
