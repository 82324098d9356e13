import { docId } from './communities.ts';
import type { RelayConfig } from './config.ts';
import type { DtnService } from './dtn-service.ts';
import { sendJson } from './http-util.ts';
import type { ReplicaService } from './replica-service.ts';
import type { Exchange, RelayService } from './service.ts';
import type { RelayInfo, RelayStatus } from '../src/core/protocol/routes.ts';

/**
 * What a relay says about itself: /api/info for phones and other relays (who it is, what it serves)
 * and /api/status for operators and the phone's status bar (every service's fields, gathered by the
 * registry).
 */
export class InfoService implements RelayService {
  readonly name = 'info';

  constructor(
    private readonly cfg: RelayConfig,
    private readonly replica: ReplicaService,
    private readonly dtn: DtnService,
    private readonly statusOf: () => RelayStatus,
  ) {}

  async start(): Promise<void> {}

  async close(): Promise<void> {}

  /** `from`: the asking peer's address; the hub machine itself is shown a community nobody has joined (first-organiser.ts). */
  info(from?: string): RelayInfo {
    const { communities, directory } = this.replica;
    const local = directory.firstOrganiser?.mayFoundFrom(from) ?? false;
    return {
      app: 'solarpunk-mesh',
      node: this.dtn.node.nodeId,
      tcpclPort: this.dtn.node.tcpclPort,
      /** This relay's key: what a community's relays list names it by. */
      relay: communities.relayKey.publicKey,
      // A community's URL is its invite: it is shown only where anyone may join anyway, or, while nobody
      // has joined, to the hub machine itself (elsewhere the first organiser brings the relay's invite, and
      // a phone is told so). Phones with an invite never need it from here.
      // A community open to newcomers says so, still without its URL: a joining phone asks for it signed
      // (open-join-service.ts), so this answer stays free of doc URLs under the default policy.
      communities: communities.served.map(({ url, ...c }) => {
        const waiting = !directory.hasMembers(docId(url));
        const open = this.replica.door.openToNewcomers(docId(url));
        return {
          ...c,
          ...(this.cfg.joinPolicy === 'open' || (waiting && local) ? { url } : {}),
          ...(waiting && this.cfg.joinPolicy !== 'open' ? { awaitingOrganiser: true } : {}),
          ...(open ? { openJoin: true } : {}),
        };
      }),
      joinPolicy: this.cfg.joinPolicy,
      secure: Boolean(this.cfg.tlsCert),
    };
  }

  private readonly infoRoute = ({ req, res }: Exchange): void => sendJson(res, 200, this.info(req.socket.remoteAddress));
  private readonly statusRoute = ({ res }: Exchange): void => sendJson(res, 200, this.statusOf());

  readonly routes = {
    info: { at: { GET: this.infoRoute, HEAD: this.infoRoute } },
    status: { at: { GET: this.statusRoute, HEAD: this.statusRoute } },
  };
}
