import type { Repo } from '@automerge/automerge-repo';
import type { SessionWebSocketClientAdapter } from '../../src/platform/session-socket.ts';

/**
 * Resolves once the relay is this repo's peer. automerge-repo's WebSocket client declares itself ready
 * one second after connecting even if no peer has answered yet, and a find() made then, with no peer,
 * reports the document unavailable for good. A signed session's challenge and handshake take longer than
 * that on a loaded machine (run 13), so a raw client must wait for its peer before its first find.
 */
export function untilPeer(repo: Pick<Repo, 'peers'>, network: SessionWebSocketClientAdapter): Promise<void> {
  return new Promise<void>((resolve) => (repo.peers.length > 0 ? resolve() : network.once('peer-candidate', () => resolve())));
}
