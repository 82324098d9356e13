import { AUTH_HEADER } from '../src/core/protocol/auth.ts';
import { Route, type OpenCommunity } from '../src/core/protocol/routes.ts';
import { docId } from './communities.ts';
import { sendJson } from './http-util.ts';
import type { Logger } from './log.ts';
import { Refusal } from './refusal.ts';
import type { ReplicaService } from './replica-service.ts';
import { RequestVerifier } from './request-auth.ts';
import type { Exchange, RelayService } from './service.ts';

/**
 * GET /api/open-join, signed by the key that is joining (x-spm-auth over GET /api/open-join, good once)
 * → OpenCommunity: the first community served here that takes newcomers without an invite right now
 * (relay/join-policy.ts), so a phone on the hub's address joins it with no invite link. 404
 * `invite-needed` when none does; 401 unsigned.
 *
 * Why not in /api/info: a community's URL is also its oldest kind of invite (while its organisers list
 * no invite link, the URL alone admits), and /api/info answers anyone who merely looks, cached or
 * scraped. Here the URL goes only to a key that asks to join while the door is open; once organisers
 * close it, this answers nobody. A key costs nothing, so the signature keeps no stranger out: open join
 * means any stranger may join.
 */
export class OpenJoinService implements RelayService {
  readonly name = 'open-join';
  private readonly requests = new RequestVerifier();

  constructor(
    private readonly replica: ReplicaService,
    private readonly log: Logger,
  ) {}

  async start(): Promise<void> {}

  async close(): Promise<void> {}

  private readonly open = ({ req, res }: Exchange): void => {
    const v = this.requests.verify(req.headers[AUTH_HEADER] as string | undefined, { method: 'GET', path: Route.openJoin });
    if (!v.ok) throw new Refusal(401, 'unsigned', `ask as the key that joins: ${v.reason}`);
    const { communities, door } = this.replica;
    const c = communities.served.find((s) => door.openToNewcomers(docId(s.url)));
    if (!c) throw new Refusal(404, 'invite-needed', 'no community here takes newcomers without an invite');
    this.log.info({ community: c.id, key: v.agent }, 'open join: community address given to a newcomer');
    sendJson(res, 200, { url: c.url, name: c.name, ...(c.founder ? { founder: c.founder } : {}), ...(c.retirement ? { retirement: c.retirement } : {}) } satisfies OpenCommunity);
  };

  readonly routes = { openJoin: { at: { GET: this.open } } };
}
