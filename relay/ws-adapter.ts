import { WebSocketServerAdapter } from '@automerge/automerge-repo-network-websocket';
import type { WebSocket } from 'ws';
import type { Logger } from './log.ts';

/**
 * The adapter pings every phone each interval and drops one that has not answered the last ping. Its
 * default 5 s dropped phones that were busy taking in a community's docs (a burst of 10,000 offers keeps
 * a phone's event loop busy for longer than that), which then waited 5 s more to reconnect and started
 * over. A phone that is really gone is still dropped within two intervals.
 */
export const PHONE_KEEPALIVE_MS = 30_000;

/**
 * automerge-repo's server adapter asserts on malformed frames, and an exception thrown from a socket
 * 'message' handler would take the whole relay down. A phone's bytes are untrusted input: a bad frame
 * closes that one socket and nothing else.
 */
export class GuardedWebSocketServerAdapter extends WebSocketServerAdapter {
  constructor(
    server: ConstructorParameters<typeof WebSocketServerAdapter>[0],
    private readonly log: Logger,
    private readonly onMessage: () => void = () => undefined,
  ) {
    super(server, PHONE_KEEPALIVE_MS);
  }

  override receiveMessage(messageBytes: Uint8Array, socket: WebSocket): void {
    this.onMessage();
    try {
      super.receiveMessage(messageBytes, socket);
    } catch (err) {
      this.log.warn({ err: String(err) }, 'bad sync frame from a peer; closing its socket');
      socket.close(1008, 'bad frame');
    }
  }
}
