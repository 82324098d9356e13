import type { OpenRepo } from '../client/ports.ts';
import { loadModule } from './load-module.ts';
import { DOCS_DB_NAME } from './database-names.ts';

/** The code opening the repo needs beside Automerge itself (fetched once; a second import is the module cache). */
const repoCode = () => Promise.all([import('./repo.ts'), import('../core/vault/storage-adapter.ts'), import('@automerge/automerge-repo-storage-indexeddb')]);

/**
 * Fetches that code and Automerge's wasm and compiles it, opening nothing: what a newcomer's phone does
 * while they answer the first-run questions (client/join-preparation.ts), and the first step of opening.
 * `retry` is loadModule when the person waits on it; a preparation tries once.
 */
export async function prepareBrowserRepo(retry: <T>(load: () => Promise<T>) => Promise<T> = (load) => load()): Promise<void> {
  const [{ automergeReady }] = await retry(() => Promise.all([import('./automerge.ts'), repoCode()]));
  await retry(() => automergeReady());
}

/**
 * The PWA's repo: docs in IndexedDB sealed under the data key, synced with the relay that served the page.
 * Loaded on demand: the first list paints from the index before Automerge's code is even fetched.
 */
export const openBrowserRepo: OpenRepo = async (dataKey, credentials) => {
  await prepareBrowserRepo(loadModule);
  const [{ createRepo, relaySyncUrl }, { EncryptedStorageAdapter }, { IndexedDBStorageAdapter }] = await loadModule(repoCode);
  const storage = await EncryptedStorageAdapter.open(new IndexedDBStorageAdapter(DOCS_DB_NAME), dataKey);
  const { repo, network } = createRepo(relaySyncUrl(), storage, credentials);
  return {
    repo,
    onPeer: (fn) => network.on('peer-candidate', fn),
    onDisconnect: (fn) => network.on('peer-disconnected', fn),
    onRefused: (fn) => (network.onRefused = fn),
  };
};
