import type { Repo } from '@automerge/automerge-repo';
import type { SessionWebSocketClientAdapter } from '../../src/platform/session-socket.ts';

const PEER_WAIT_MS = 120_000;

/**
 * Resolves once the relay is this repo's peer. automerge-repo's WebSocket client declares itself ready
 * one second after connecting even if no peer has answered yet, and a find() made then, with no peer,
 * reports the document unavailable for good. A signed session's challenge and handshake take longer than
 * that on a loaded machine (run 13), so a raw client must wait for its peer before its first find.
 */
export function untilPeer(repo: Pick<Repo, 'peers'>, network: SessionWebSocketClientAdapter, timeoutMs = PEER_WAIT_MS): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (repo.peers.length > 0) return resolve();
    // A limit on a hang, not a speed check: a test stuck here fails saying so, not at its own limit.
    const timer = setTimeout(() => reject(new Error(`the relay at ${new URL(network.url).host} never became this repo's sync peer in ${timeoutMs / 1000} s`)), timeoutMs);
    network.once('peer-candidate', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}
