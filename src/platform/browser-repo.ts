import type { OpenRepo } from '../client/ports.ts';

/**
 * The PWA's repo: docs in IndexedDB sealed under the data key, synced with the relay that served the page.
 * Loaded on demand: the first list paints from the index before Automerge's code is even fetched.
 */
// `credentials` (who the sync session is signed for) goes to createRepo once it signs sessions.
export const openBrowserRepo: OpenRepo = async (dataKey, _credentials) => {
  const [{ automergeReady }, { createRepo, relaySyncUrl }] = await Promise.all([import('./automerge.ts'), import('./repo.ts')]);
  await automergeReady();
  const { EncryptedStorageAdapter } = await import('../core/vault/storage-adapter.ts');
  const { IndexedDBStorageAdapter } = await import('@automerge/automerge-repo-storage-indexeddb');
  const storage = await EncryptedStorageAdapter.open(new IndexedDBStorageAdapter('solarpunk-docs'), dataKey);
  const { repo, network } = createRepo(relaySyncUrl(), storage);
  return {
    repo,
    onPeer: (fn) => network.on('peer-candidate', fn),
    onDisconnect: (fn) => network.on('peer-disconnected', fn),
  };
};
