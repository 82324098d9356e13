import { WebSocketServerAdapter } from '@automerge/automerge-repo-network-websocket';
import type { WebSocket } from 'ws';
import type { Logger } from './log.ts';

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
    super(server);
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
