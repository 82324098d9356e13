import type { WebSocket } from 'ws';
import { SESSION_QUERY, SessionAuthError } from '../src/core/protocol/session-auth.ts';
import type { RelayConfig } from './config.ts';
import { sendJson } from './http-util.ts';
import type { Logger } from './log.ts';
import type { ReplicaService } from './replica-service.ts';
import type { Exchange, RelayService, UpgradeHandler } from './service.ts';
import { SessionGate } from './session-gate.ts';

/**
 * Phones' sync sessions: a challenge to sign (GET /api/session), then the WebSocket upgrade to /sync,
 * whose handshake is checked here before automerge-repo sees the socket at all.
 */
export class SessionsService implements RelayService {
  readonly name = 'sessions';
  private readonly gate: SessionGate;

  constructor(
    private readonly cfg: RelayConfig,
    private readonly replica: ReplicaService,
    private readonly log: Logger,
  ) {
    this.gate = new SessionGate(replica.directory, replica.door);
  }

  async start(): Promise<void> {}

  /** Ends phones' sockets (they left the HTTP server at their upgrade); the replica then flushes what they sent. */
  async close(): Promise<void> {
    for (const socket of this.replica.rr.wss.clients) socket.terminate();
  }

  status(): Record<string, unknown> {
    return { sync: { joinPolicy: this.cfg.joinPolicy, ...this.replica.access.counts, ...this.replica.rr.syncLoad() } };
  }

  private readonly challenge = ({ res }: Exchange): void => sendJson(res, 200, { challenge: this.gate.challenge() });

  private readonly upgrade: UpgradeHandler = (req, socket, head, query) => {
    let session;
    try {
      session = this.gate.admit(query.get(SESSION_QUERY) ?? '', Date.now(), this.replica.directory.firstOrganiser?.mayFoundFrom(req.socket.remoteAddress) ?? false);
    } catch (err) {
      const reason = err instanceof SessionAuthError ? err.message : 'bad session';
      this.log.info({ reason }, 'sync session refused');
      socket.end(`HTTP/1.1 401 Unauthorized\r\ncontent-type: text/plain\r\nconnection: close\r\n\r\n${reason}\n`);
      return;
    }
    const { rr } = this.replica;
    if (rr.phones.peerTaken(session)) {
      this.log.info({ peer: session.peer }, 'sync session refused: peer id held by another key');
      socket.end('HTTP/1.1 409 Conflict\r\ncontent-type: text/plain\r\nconnection: close\r\n\r\npeer id in use\n');
      return;
    }
    const s = session;
    rr.wss.handleUpgrade(req, socket, head, (ws) => {
      rr.phones.attach(ws as unknown as WebSocket, s);
      rr.wss.emit('connection', ws, req);
    });
  };

  readonly routes = {
    session: { at: { GET: this.challenge, HEAD: this.challenge } },
    sync: { upgrade: this.upgrade },
  };
}
