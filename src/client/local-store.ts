import type { Intent } from '../core/model/types.ts';
import type { FileManifest } from '../core/library/types.ts';

/** A row of the phone's post index. Docs are the truth; the index is rebuilt from them. */
export interface IntentRow {
  key: string; // `${author}/${id}`: ids are only unique per author
  kind: string;
  category: string;
  area: string;
  author: string;
  status: string;
  updated: number;
  /** The record, for public posts; null when sealed. */
  record: Intent | null;
  /** Posts not meant for everyone are kept sealed under the data key (category and area blanked too). */
  sealed?: Uint8Array;
  /**
   * A members-only post: which sealed feed entry it was opened from (its digest, epoch and the id of the
   * key that opened it; core/model/sealed-memo.ts), sealed under the data key and bound to this row's
   * seal (client/sealed-rows.ts), so nobody who can write the phone's storage can point a row at
   * another entry. The next start takes the post from this row instead of opening and checking that
   * entry again.
   */
  opened?: Uint8Array;
}

/** A chunk of a shared file, by its SHA-256: one copy however many files use it. Sealed at rest. */
export interface ChunkRow {
  hash: string;
  sealed: Uint8Array;
  size: number;
}

/** A file this phone knows of: its manifest, whether it is kept (pinned), when it was added. */
export interface FileRow {
  id: string;
  manifest: FileManifest;
  pinned: boolean;
  added: number;
}

/** Device settings: the lock record and dead-man settings in clear, everything else sealed by the vault. */
export interface SettingsTable {
  get<T>(key: string): Promise<T | undefined>;
  set(key: string, value: unknown): Promise<void>;
  /** Several at once, in one write: all of them are stored, or none (a join cut short leaves no half). */
  setMany(rows: ReadonlyArray<readonly [string, unknown]>): Promise<void>;
  delete(keys: string[]): Promise<void>;
  keys(): Promise<string[]>;
}

export interface IntentTable {
  /**
   * Replaces every row of this author with `rows`, atomically. Keys in `unchanged` are rows of this
   * author already stored as they should be: kept, not written again (a feed of 10,000 posts changes a few).
   */
  replaceAuthor(author: string, rows: IntentRow[], unchanged?: ReadonlySet<string>): Promise<void>;
  /** Every row of this author. */
  byAuthor(author: string): Promise<IntentRow[]>;
  /** Adds or overwrites these rows, leaving the rest (proven posts listed before their feed is fully read). */
  putRows(rows: IntentRow[]): Promise<void>;
  /** Newest first (by `updated`), only rows `keep` accepts, at most `limit`. */
  newest(keep: (r: IntentRow) => boolean, limit: number): Promise<IntentRow[]>;
  /**
   * `newest` answered from the head stored with the index, before every row is read; undefined when the
   * head cannot answer it exactly (too few matches in it, none stored, or every row is read already).
   * A first paint only: whoever shows it reads `newest` after (the head is a copy and may be behind).
   */
  newestEarly(keep: (r: IntentRow) => boolean, limit: number): Promise<IntentRow[] | undefined>;
  /** Rows whose status is open (the index's status column), optionally counted through `keep`. */
  open(): Promise<IntentRow[]>;
  countOpen(keep: (r: IntentRow) => boolean): Promise<number>;
  get(key: string): Promise<IntentRow | undefined>;
  /** Drops every sealed row (a duress unlock: only public posts stay). */
  deleteSealed(): Promise<void>;
}

export interface ChunkTable {
  get(hash: string): Promise<ChunkRow | undefined>;
  put(row: ChunkRow): Promise<void>;
  hashes(): Promise<string[]>;
  delete(hashes: string[]): Promise<void>;
  totalSize(): Promise<number>;
}

export interface FileTable {
  get(id: string): Promise<FileRow | undefined>;
  put(row: FileRow): Promise<void>;
  all(): Promise<FileRow[]>;
  setPinned(id: string, pinned: boolean): Promise<void>;
  delete(id: string): Promise<void>;
}

/** What a phone carries a bundle as: its kind shows in "carrying 12 messages and 340 changes". */
export type CarriedKind = 'message' | 'change' | 'alert' | 'other';

/** A bundle this phone carries for other islands: what it needs to choose, count and drop it, without its bytes. */
export interface CarriedMeta {
  /** The bundle id (source, creation time, sequence): what relays acknowledge. */
  id: string;
  kind: CarriedKind;
  /** 0 emergency … 3 low: handed in in this order. */
  priority: number;
  /** unix ms: dropped from then on. */
  expiresAt: number;
  /** The node id of the relay it was taken from: never handed back there. */
  from: string;
  /** Bytes of the bundle. */
  size: number;
  /** unix ms when this phone took it. */
  taken: number;
  /** unix ms when the bundle was made (0 when its source had no clock): older ones go first, as relays send. */
  created: number;
}

/** Carried bundles: meta in one table, the bundle's bytes (sealed under the data key) in another. */
export interface CarriedTable {
  put(meta: CarriedMeta, sealed: Uint8Array): Promise<void>;
  list(): Promise<CarriedMeta[]>;
  sealed(id: string): Promise<Uint8Array | undefined>;
  delete(ids: string[]): Promise<void>;
}

/**
 * The phone's local storage, as the client needs it. The browser backs it with IndexedDB (through idb, in
 * src/platform/local-db.ts); Node code uses the in-memory one (src/client/memory-store.ts).
 */
export interface LocalStore {
  settings: SettingsTable;
  intents: IntentTable;
  chunks: ChunkTable;
  files: FileTable;
  carried: CarriedTable;
}

export function intentRow(i: Intent, seal?: (i: Intent) => Uint8Array): IntentRow {
  if (i.audience !== 'public' && seal) {
    return { key: `${i.author}/${i.id}`, kind: i.kind, category: '', area: '', author: i.author, status: i.status, updated: i.updated, record: null, sealed: seal(i) };
  }
  return {
    key: `${i.author}/${i.id}`,
    kind: i.kind,
    category: i.resourceConformsTo,
    area: i.atLocation ?? '',
    author: i.author,
    status: i.status,
    updated: i.updated,
    record: i,
  };
}
