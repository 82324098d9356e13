import type { CarriedMeta, ChunkRow, FileRow, IntentRow, LocalStore } from './local-store.ts';

/**
 * An in-memory LocalStore: the phone's storage for Node (unit tests, a phone without a browser). It keeps
 * the same contract as the IndexedDB one — newest-first reads, atomic per-author replacement — but
 * nothing survives the process, so it stands in for storage, not for persistence.
 */
export function memoryStore(): LocalStore {
  const settings = new Map<string, unknown>();
  const intents = new Map<string, IntentRow>();
  const chunks = new Map<string, ChunkRow>();
  const files = new Map<string, FileRow>();
  const carried = new Map<string, { meta: CarriedMeta; sealed: Uint8Array }>();
  const byNewest = () => [...intents.values()].sort((a, b) => b.updated - a.updated);
  return {
    settings: {
      get: async <T>(key: string) => settings.get(key) as T | undefined,
      set: async (key, value) => void settings.set(key, value),
      delete: async (keys) => keys.forEach((k) => settings.delete(k)),
      keys: async () => [...settings.keys()],
    },
    intents: {
      replaceAuthor: async (author, rows, unchanged = new Set()) => {
        for (const [k, r] of intents) if (r.author === author && !unchanged.has(k)) intents.delete(k);
        for (const r of rows) intents.set(r.key, r);
      },
      byAuthor: async (author) => [...intents.values()].filter((r) => r.author === author),
      putRows: async (rows) => {
        for (const r of rows) intents.set(r.key, r);
      },
      newest: async (keep, limit) => {
        const out: IntentRow[] = [];
        for (const r of byNewest()) {
          if (out.length >= limit) break;
          if (keep(r)) out.push(r);
        }
        return out;
      },
      open: async () => [...intents.values()].filter((r) => r.status === 'open'),
      countOpen: async (keep) => [...intents.values()].filter((r) => r.status === 'open' && keep(r)).length,
      get: async (key) => intents.get(key),
      deleteSealed: async () => {
        for (const [k, r] of intents) if (r.sealed !== undefined) intents.delete(k);
      },
    },
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
