import type { RelayConfig } from './config.ts';
import { DeploymentCheck } from './deployment-check.ts';
import type { HttpService } from './http-service.ts';
import type { Logger } from './log.ts';
import { defaultOrigin } from './origin-check.ts';
import type { ReplicaService } from './replica-service.ts';
import type { RelayService } from './service.ts';

/**
 * How phones reach this relay (relay/deployment-check.ts): the origin, secure context and certificate,
 * logged at start and daily and shown in /api/status as `deployment`. Starts after the HTTP service,
 * whose port is part of the default origin.
 */
export class DeploymentService implements RelayService {
  readonly name = 'deployment';
  private check?: DeploymentCheck;

  constructor(
    private readonly cfg: RelayConfig,
    private readonly replica: ReplicaService,
    private readonly http: HttpService,
    private readonly log: Logger,
  ) {}

  async start(): Promise<void> {
    const { cfg } = this;
    const { communities } = this.replica;
    const origin = cfg.origin ?? defaultOrigin(cfg.host, this.http.address.port, Boolean(cfg.tlsCert));
    this.check = new DeploymentCheck(origin, cfg.tlsCert, () => communities.served.map((c) => ({ id: c.id || c.url, origin: communities.view(c.url)?.settings.origin })), this.log);
    await this.check.start();
  }

  async close(): Promise<void> {
    this.check?.close();
  }

  /** Empty until started: the HTTP service answers /api/status from the moment it listens. */
  status(): Record<string, unknown> {
    return this.check ? { deployment: this.check.status() } : {};
  }
}
