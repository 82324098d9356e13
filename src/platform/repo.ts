import { Repo } from '@automerge/automerge-repo/slim';
import { IndexedDBStorageAdapter } from '@automerge/automerge-repo-storage-indexeddb';
import { WebSocketClientAdapter } from '@automerge/automerge-repo-network-websocket';

/** The island's relay is whoever served this page: same origin, /sync. */
export function relaySyncUrl(loc: Location = window.location): string {
  return `${loc.protocol === 'https:' ? 'wss' : 'ws'}://${loc.host}/sync`;
}

export function createRepo(syncUrl: string): { repo: Repo; network: WebSocketClientAdapter } {
  const network = new WebSocketClientAdapter(syncUrl, 2000);
  const repo = new Repo({
    storage: new IndexedDBStorageAdapter('solarpunk-docs'),
    network: [network],
    // A phone pushes everything it writes to its relay; the relay is its only peer.
    shareConfig: { announce: async () => true, access: async () => true },
  });
  return { repo, network };
}
