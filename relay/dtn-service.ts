import type { Communities } from './communities.ts';
import type { RelayConfig } from './config.ts';
import { startDtn, type Dtn } from './dtn/index.ts';
import type { Logger } from './log.ts';
import type { RelayRepo } from './repo.ts';
import type { RelayService } from './service.ts';

/**
 * The relay's DTN side (bundle store, TCPCL, routing, replication, contact sources) as a service. The
 * node exists only once started: services that carry bundles read `node` in their own start().
 */
export class DtnService implements RelayService {
  readonly name = 'dtn';
  private dtn?: Dtn;

  constructor(
    private readonly cfg: RelayConfig,
    private readonly rr: RelayRepo,
    private readonly communities: Communities,
    private readonly log: Logger,
  ) {}

  get started(): Dtn {
    if (!this.dtn) throw new Error('the DTN service is not started yet');
    return this.dtn;
  }

  get node(): Dtn['node'] {
    return this.started.node;
  }

  async start(): Promise<void> {
    this.dtn = await startDtn(this.cfg, this.rr, this.communities, this.log);
  }

  async close(): Promise<void> {
    const dtn = this.dtn;
    this.dtn = undefined;
    await dtn?.close();
  }

  status(): Record<string, unknown> {
    if (!this.dtn) return {};
    return { dtn: this.dtn.node.status(), replication: this.dtn.replicator.status() };
  }
}
