import type { Suggestions } from '../src/core/protocol/routes.ts';
import type { RelayConfig } from './config.ts';
import type { FeedViews } from './feed-views.ts';
import { sendJson } from './http-util.ts';
import { IslandAgents } from './island-agents.ts';
import type { Logger } from './log.ts';
import type { ReplicaService } from './replica-service.ts';
import type { Exchange, RelayService } from './service.ts';

/** Island-wide agents (relay/island-agents.ts), run in the background; GET /api/suggestions?community=<id> → Suggestions. */
export class IslandAgentsService implements RelayService {
  readonly name = 'island-agents';
  private readonly agents: IslandAgents;

  constructor(cfg: RelayConfig, replica: ReplicaService, feeds: FeedViews, log: Logger) {
    this.agents = new IslandAgents(replica.rr, replica.communities, cfg.agentsIntervalMs, log, feeds);
  }

  async start(): Promise<void> {
    this.agents.start();
  }

  async close(): Promise<void> {
    this.agents.stop();
  }

  private readonly suggestions = ({ res, query }: Exchange): void => {
    const id = query.get('community') ?? '';
    sendJson(res, 200, this.agents.get(id) ?? ({ community: id, at: null, proposals: [] } satisfies Suggestions));
  };

  readonly routes = { suggestions: { at: { GET: this.suggestions, HEAD: this.suggestions } } };
}
