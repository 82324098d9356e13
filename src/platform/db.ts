import Dexie, { type Table } from 'dexie';
import { pagedIntentTable, type IntentPage } from '../client/paged-intents.ts';
import type { CarriedMeta, ChunkRow, FileRow, LocalStore } from '../client/local-store.ts';

export interface SettingRow {
  key: string;
  value: unknown;
}

/** Local-only tables in IndexedDB. Docs are the truth; these are indexes rebuilt from them, plus device settings. */
export class LocalDb extends Dexie {
  /** The post index, in buckets of one author's rows (client/paged-intents.ts says why). */
  intentPages!: Table<IntentPage, string>;
  settings!: Table<SettingRow, string>;
  chunks!: Table<ChunkRow, string>;
  files!: Table<FileRow, string>;
  /** Bundles carried for other islands: meta, and the bytes sealed under the data key (src/client/carry.ts). */
  carried!: Table<CarriedMeta, string>;
  carriedBytes!: Table<{ id: string; sealed: Uint8Array }, string>;

  constructor(name = 'solarpunk-local') {
    super(name);
    this.version(1).stores({
      intents: 'key, kind, category, area, author, status, updated',
      settings: 'key',
    });
    this.version(2).stores({ chunks: 'hash', files: 'id, added' });
    this.version(3).stores({ carried: 'id', carriedBytes: 'id' });
    // A row per post cost ~1 ms a row to write: the index moves to buckets. It is rebuilt from the docs,
    // so the old table simply goes.
    this.version(4).stores({ intents: null, intentPages: 'id' });
  }
}

/** The phone's LocalStore over IndexedDB: reads walk the `updated` and `status` indexes, not every row. */
export function dexieStore(db: LocalDb = new LocalDb()): LocalStore {
  return {
    settings: {
      get: async <T>(key: string) => (await db.settings.get(key))?.value as T | undefined,
      set: async (key, value) => void (await db.settings.put({ key, value })),
      delete: (keys) => db.settings.bulkDelete(keys),
      keys: () => db.settings.toCollection().primaryKeys(),
    },
    intents: pagedIntentTable({
      all: () => db.intentPages.toArray(),
      write: (put, remove) =>
        db.transaction('rw', db.intentPages, async () => {
          await db.intentPages.bulkDelete(remove);
          await db.intentPages.bulkPut(put);
        }),
    }),
    chunks: {
      get: (hash) => db.chunks.get(hash),
      put: async (row) => void (await db.chunks.put(row)),
      hashes: () => db.chunks.toCollection().primaryKeys(),
      delete: (hashes) => db.chunks.bulkDelete(hashes),
      totalSize: async () => {
        let bytes = 0;
        await db.chunks.each((c) => (bytes += c.size));
        return bytes;
      },
    },
    files: {
      get: (id) => db.files.get(id),
      put: async (row) => void (await db.files.put(row)),
      all: () => db.files.toArray(),
      setPinned: async (id, pinned) => void (await db.files.update(id, { pinned })),
      delete: (id) => db.files.delete(id),
    },
    carried: {
      put: (meta, sealed) =>
        db.transaction('rw', db.carried, db.carriedBytes, async () => {
          await db.carriedBytes.put({ id: meta.id, sealed });
          await db.carried.put(meta);
        }),
      list: () => db.carried.toArray(),
      sealed: async (id) => (await db.carriedBytes.get(id))?.sealed,
      delete: (ids) =>
        db.transaction('rw', db.carried, db.carriedBytes, async () => {
          await db.carried.bulkDelete(ids);
          await db.carriedBytes.bulkDelete(ids);
        }),
    },
  };
}
