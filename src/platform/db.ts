import Dexie, { type Table } from 'dexie';
import type { Intent } from '../core/model/types.ts';

/** Local-only tables. Docs are the truth; these are indexes rebuilt from them, plus device settings. */
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
  manifest: import('../core/library/types.ts').FileManifest;
  pinned: boolean;
  added: number;
}

export interface SettingRow {
  key: string;
  value: unknown;
}

export class LocalDb extends Dexie {
  intents!: Table<IntentRow, string>;
  settings!: Table<SettingRow, string>;
  chunks!: Table<ChunkRow, string>;
  files!: Table<FileRow, string>;

  constructor(name = 'solarpunk-local') {
    super(name);
    this.version(1).stores({
      intents: 'key, kind, category, area, author, status, updated',
      settings: 'key',
    });
    this.version(2).stores({ chunks: 'hash', files: 'id, added' });
  }

  async getSetting<T>(key: string): Promise<T | undefined> {
    return (await this.settings.get(key))?.value as T | undefined;
  }

  async setSetting(key: string, value: unknown): Promise<void> {
    await this.settings.put({ key, value });
  }
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
