import type { OpenRepo } from '../client/ports.ts';
import { loadModule } from './load-module.ts';

/**
 * The PWA's repo: docs in IndexedDB sealed under the data key, synced with the relay that served the page.
 * Loaded on demand: the first list paints from the index before Automerge's code is even fetched.
 */
export const openBrowserRepo: OpenRepo = async (dataKey, credentials) => {
  const [{ automergeReady }, { createRepo, relaySyncUrl }] = await loadModule(() => Promise.all([import('./automerge.ts'), import('./repo.ts')]));
  await loadModule(() => automergeReady());
  const { EncryptedStorageAdapter } = await loadModule(() => import('../core/vault/storage-adapter.ts'));
  const { IndexedDBStorageAdapter } = await loadModule(() => import('@automerge/automerge-repo-storage-indexeddb'));
  const storage = await EncryptedStorageAdapter.open(new IndexedDBStorageAdapter('solarpunk-docs'), dataKey);
  const { repo, network } = createRepo(relaySyncUrl(), storage, credentials);
  return {
    repo,
    onPeer: (fn) => network.on('peer-candidate', fn),
    onDisconnect: (fn) => network.on('peer-disconnected', fn),
    onRefused: (fn) => (network.onRefused = fn),
  };
};
