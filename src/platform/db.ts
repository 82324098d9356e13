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
  record: Intent;
}

export interface SettingRow {
  key: string;
  value: unknown;
}

export class LocalDb extends Dexie {
  intents!: Table<IntentRow, string>;
  settings!: Table<SettingRow, string>;

  constructor(name = 'solarpunk-local') {
    super(name);
    this.version(1).stores({
      intents: 'key, kind, category, area, author, status, updated',
      settings: 'key',
    });
  }

  async getSetting<T>(key: string): Promise<T | undefined> {
    return (await this.settings.get(key))?.value as T | undefined;
  }

  async setSetting(key: string, value: unknown): Promise<void> {
    await this.settings.put({ key, value });
  }
}

export function intentRow(i: Intent): IntentRow {
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
