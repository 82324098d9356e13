import { AUTH_HEADER } from '../src/core/protocol/auth.ts';
import { Route } from '../src/core/protocol/routes.ts';
import { AlertsError, MAX_ALERT_BYTES, RelayAlerts } from './alerts.ts';
import type { DtnService } from './dtn-service.ts';
import { readBody, sendJson } from './http-util.ts';
import type { Logger } from './log.ts';
import type { ReplicaService } from './replica-service.ts';
import { RequestVerifier } from './request-auth.ts';
import type { Exchange, RelayService } from './service.ts';

/**
 * Rapid-response alerts (issue 8; relay/alerts.ts) over HTTP:
 * POST /api/alerts?community=<id> — body: one SealedAlert or SealedFollowUp (JSON, core/alerts/sealed.ts);
 * 202 {id} when carried, or {error, code} with 400/404/409/413/422/429/503. An alert in clear: 422.
 * GET /api/alerts?community=<id> — signed by a member of that community (x-spm-auth over GET
 * /api/alerts, good once) → {records: [...]}: the sealed unexpired alerts and follow-ups held here.
 * Anyone else gets 401 {error, code}: even sealed, the list tells who raised alerts, and when.
 */
export class AlertsService implements RelayService {
  readonly name = 'alerts';
  /** Set by start(); routes are served only after every service started. */
  private alerts!: RelayAlerts;
  private readonly requests = new RequestVerifier();
  private isMember: (community: string, key: string) => boolean = () => false;

  constructor(
    private readonly dtn: DtnService,
    private readonly replica: ReplicaService,
    private readonly log: Logger,
  ) {}

  async start(): Promise<void> {
    const { communities, directory } = this.replica;
    this.isMember = (c, key) => directory.isMemberOf(c, key);
    this.alerts = new RelayAlerts(this.dtn.node, (id) => communities.served.some((c) => c.id === id), this.log, this.isMember);
    await this.alerts.start();
  }

  /** Alert records are bundles in the store, which the DTN service closes. */
  async close(): Promise<void> {}

  status(): Record<string, unknown> {
    return { alerts: this.alerts.status() };
  }

  private readonly post = async ({ req, res, query }: Exchange): Promise<void> => {
    const body = await readBody(req, MAX_ALERT_BYTES, () => new AlertsError(413, 'too-large', `record larger than ${MAX_ALERT_BYTES} bytes`));
    sendJson(res, 202, await this.alerts.submit(query.get('community') ?? '', body));
  };

  private readonly list = ({ req, res, query }: Exchange): void => {
    const community = query.get('community') ?? '';
    const v = this.requests.verify(req.headers[AUTH_HEADER] as string | undefined, { method: 'GET', path: Route.alerts });
    if (!v.ok) throw new AlertsError(401, 'unsigned', `alerts are for members: ${v.reason}`);
    if (!this.isMember(community, v.agent)) throw new AlertsError(401, 'not-a-member', 'alerts are for members of this community, and this key is not one');
    sendJson(res, 200, { records: this.alerts.list(community) });
  };

  readonly routes = { alerts: { at: { GET: this.list, POST: this.post } } };
}
