import Dexie, { type Table } from 'dexie';
import type { CarriedMeta, ChunkRow, FileRow, IntentRow, LocalStore } from '../client/local-store.ts';

export interface SettingRow {
  key: string;
  value: unknown;
}

/** Local-only tables in IndexedDB. Docs are the truth; these are indexes rebuilt from them, plus device settings. */
export class LocalDb extends Dexie {
  intents!: Table<IntentRow, string>;
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
    intents: {
      replaceAuthor: (author, rows, unchanged = new Set()) =>
        db.transaction('rw', db.intents, async () => {
          const keep = new Set(rows.map((r) => r.key));
          const stale = (await db.intents.where('author').equals(author).primaryKeys()).filter((k) => !keep.has(k) && !unchanged.has(k));
          await db.intents.bulkDelete(stale);
          await db.intents.bulkPut(rows);
        }),
      byAuthor: (author) => db.intents.where('author').equals(author).toArray(),
      putRows: async (rows) => void (await db.intents.bulkPut(rows)),
      newest: (keep, limit) => db.intents.orderBy('updated').reverse().filter(keep).limit(limit).toArray(),
      open: () => db.intents.where('status').equals('open').toArray(),
      countOpen: (keep) => db.intents.where('status').equals('open').filter(keep).count(),
      get: (key) => db.intents.get(key),
      deleteSealed: async () => void (await db.intents.filter((r) => r.sealed !== undefined).delete()),
    },
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
