import { Repo, type StorageAdapterInterface } from '@automerge/automerge-repo/slim';
import { WebSocketClientAdapter } from '@automerge/automerge-repo-network-websocket';
import { Route } from '../core/protocol/routes.ts';

/** The island's relay is whoever served this page: same origin, /sync. */
export function relaySyncUrl(loc: Location = window.location): string {
  return `${loc.protocol === 'https:' ? 'wss' : 'ws'}://${loc.host}${Route.sync}`;
}

/** `storage` is the phone's IndexedDB wrapped in encryption under the data key (see client/vault.ts). */
export function createRepo(syncUrl: string, storage: StorageAdapterInterface): { repo: Repo; network: WebSocketClientAdapter } {
  const network = new WebSocketClientAdapter(syncUrl, 2000);
  const repo = new Repo({
    storage,
    network: [network],
    // A phone pushes everything it writes to its relay; the relay is its only peer.
    shareConfig: { announce: async () => true, access: async () => true },
  });
  return { repo, network };
}
