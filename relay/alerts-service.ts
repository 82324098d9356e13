import { AlertsError, MAX_ALERT_BYTES, RelayAlerts } from './alerts.ts';
import type { DtnService } from './dtn-service.ts';
import { readBody, sendJson } from './http-util.ts';
import type { Logger } from './log.ts';
import type { ReplicaService } from './replica-service.ts';
import type { Exchange, RelayService } from './service.ts';

/**
 * Rapid-response alerts (issue 8; relay/alerts.ts) over HTTP:
 * POST /api/alerts?community=<id> — body: one signed Alert or AlertFollowUp (JSON); 202 {id} when
 * carried, or {error, code} with 400/404/409/413/422/429/503.
 * GET /api/alerts?community=<id> — {records: [...]}: unexpired alerts and their follow-ups held here.
 */
export class AlertsService implements RelayService {
  readonly name = 'alerts';
  /** Set by start(); routes are served only after every service started. */
  private alerts!: RelayAlerts;

  constructor(
    private readonly dtn: DtnService,
    private readonly replica: ReplicaService,
    private readonly log: Logger,
  ) {}

  async start(): Promise<void> {
    const { communities, directory } = this.replica;
    this.alerts = new RelayAlerts(this.dtn.node, (id) => communities.served.some((c) => c.id === id), this.log, (c, key) => directory.isMemberOf(c, key));
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

  private readonly list = ({ res, query }: Exchange): void => sendJson(res, 200, { records: this.alerts.list(query.get('community') ?? '') });

  readonly routes = { alerts: { at: { GET: this.list, POST: this.post } } };
}
