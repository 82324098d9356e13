import type { CarriedMeta, ChunkRow, FileRow, LocalStore } from './local-store.ts';
import { pagedIntentTable, type IntentHead, type IntentPage, type IntentPageStore } from './paged-intents.ts';

/**
 * An in-memory LocalStore: the phone's storage for Node (unit tests, a phone without a browser). It keeps
 * the same contract as the IndexedDB one — newest-first reads, atomic per-author replacement — but
 * nothing survives the process, so it stands in for storage, not for persistence.
 */
export function memoryStore(): LocalStore {
  const settings = new Map<string, unknown>();
  const pages = memoryPages();
  const chunks = new Map<string, ChunkRow>();
  const files = new Map<string, FileRow>();
  const carried = new Map<string, { meta: CarriedMeta; sealed: Uint8Array }>();
  return {
    settings: {
      get: async <T>(key: string) => settings.get(key) as T | undefined,
      set: async (key, value) => void settings.set(key, value),
      setMany: async (rows) => {
        // Copies first, as IndexedDB stores them: a value that cannot be stored keeps every one out.
        const copies = rows.map(([key, value]) => [key, structuredClone(value)] as const);
        for (const [key, value] of copies) settings.set(key, value);
      },
      delete: async (keys) => keys.forEach((k) => settings.delete(k)),
      keys: async () => [...settings.keys()],
    },
    intents: pagedIntentTable(pages),
    chunks: {
      get: async (hash) => chunks.get(hash),
      put: async (row) => void chunks.set(row.hash, row),
      hashes: async () => [...chunks.keys()],
      delete: async (hashes) => hashes.forEach((h) => chunks.delete(h)),
      totalSize: async () => [...chunks.values()].reduce((n, c) => n + c.size, 0),
    },
    files: {
      get: async (id) => files.get(id),
      put: async (row) => void files.set(row.id, row),
      all: async () => [...files.values()],
      setPinned: async (id, pinned) => {
        const f = files.get(id);
        if (f) files.set(id, { ...f, pinned });
      },
      delete: async (id) => void files.delete(id),
    },
    carried: {
      put: async (meta, sealed) => void carried.set(meta.id, { meta: { ...meta }, sealed }),
      list: async () => [...carried.values()].map((c) => ({ ...c.meta })),
      sealed: async (id) => carried.get(id)?.sealed,
      delete: async (ids) => ids.forEach((id) => carried.delete(id)),
    },
  };
}

/** The post index's pages in a Map: the same bucketed table as a phone's, without a disk. */
export function memoryPages(): IntentPageStore & { pages: Map<string, IntentPage>; stored: { head?: IntentHead } } {
  const pages = new Map<string, IntentPage>();
  const stored: { head?: IntentHead } = {};
  return {
    pages,
    stored,
    all: async () => [...pages.values()],
    head: async () => stored.head,
    write: async (put, remove, head) => {
      for (const id of remove) pages.delete(id);
      for (const p of put) pages.set(p.id, p);
      if (head) stored.head = head;
    },
  };
}
