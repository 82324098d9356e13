import type { Chunk, StorageAdapterInterface, StorageKey } from '@automerge/automerge-repo';

/**
 * A plain in-memory store for wrapping in tests. automerge-repo ships DummyStorageAdapter, but its
 * published typings import the package's TypeScript sources, which do not type-check under our
 * strict settings; this one is a few lines and matches keys by whole components.
 */
export class MemoryStorageAdapter implements StorageAdapterInterface {
  readonly #data = new Map<string, { key: StorageKey; data: Uint8Array }>();

  async load(key: StorageKey): Promise<Uint8Array | undefined> {
    return this.#data.get(JSON.stringify(key))?.data;
  }

  async save(key: StorageKey, data: Uint8Array): Promise<void> {
    this.#data.set(JSON.stringify(key), { key: [...key], data });
  }

  async remove(key: StorageKey): Promise<void> {
    this.#data.delete(JSON.stringify(key));
  }

  async loadRange(prefix: StorageKey): Promise<Chunk[]> {
    return [...this.#data.values()].filter((e) => startsWith(e.key, prefix)).map((e) => ({ key: e.key, data: e.data }));
  }

  async removeRange(prefix: StorageKey): Promise<void> {
    for (const [k, e] of this.#data) if (startsWith(e.key, prefix)) this.#data.delete(k);
  }
}

function startsWith(key: StorageKey, prefix: StorageKey): boolean {
  return prefix.length <= key.length && prefix.every((c, i) => key[i] === c);
}
