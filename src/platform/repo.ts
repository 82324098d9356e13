import { Repo, type StorageAdapterInterface } from '@automerge/automerge-repo/slim';
import { SessionWebSocketClientAdapter, type SessionCredentials } from './session-socket.ts';
import { Route } from '../core/protocol/routes.ts';

/** The island's relay is whoever served this page: same origin, /sync. */
export function relaySyncUrl(loc: Location = window.location): string {
  return `${loc.protocol === 'https:' ? 'wss' : 'ws'}://${loc.host}${Route.sync}`;
}

/**
 * `storage` is the phone's IndexedDB wrapped in encryption under the data key (see client/vault.ts).
 * `credentials` gives the identity and community the sync session is signed for (read at every
 * connection: a phone that is only now joining has them a moment after the repo starts).
 */
export function createRepo(
  syncUrl: string,
  storage: StorageAdapterInterface,
  credentials: () => SessionCredentials | undefined,
): { repo: Repo; network: SessionWebSocketClientAdapter } {
  const network = new SessionWebSocketClientAdapter(syncUrl, 2000, credentials);
  const repo = new Repo({
    storage,
    network: [network],
    // A phone pushes everything it writes to its relay; the relay is its only peer.
    shareConfig: { announce: async () => true, access: async () => true },
  });
  network.attachRepo(repo);
  return { repo, network };
}
