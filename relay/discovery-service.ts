import { MAX_QUERY_BYTES } from '../src/core/discovery/index.ts';
import type { Communities } from './communities.ts';
import { DiscoveryRefusal, RelayDiscovery } from './discovery.ts';
import type { DtnService } from './dtn-service.ts';
import type { FeedViews } from './feed-views.ts';
import { readBody, sendJson } from './http-util.ts';
import type { Logger } from './log.ts';
import type { RelayRepo } from './repo.ts';
import type { Exchange, RelayService } from './service.ts';

/**
 * Discovery search across islands (issue 10; relay/discovery.ts) over HTTP:
 * POST /api/discovery/queries — body: a DiscoveryQuery (JSON; createQuery with origin = this relay's
 *   node id from /api/info) → 202 {id, expires}
 * GET  /api/discovery/queries/<id> — {query, answers: [{island, islandName, local, created, received, age, results}]}
 * Refusals: {error, code} with 400 (malformed, wrong-origin), 401 (bad signature), 404, 413, 429.
 */
export class DiscoveryService implements RelayService {
  readonly name = 'discovery';
  /** Set by start(); routes are served only after every service started. */
  private discovery!: RelayDiscovery;

  constructor(
    private readonly dtn: DtnService,
    private readonly rr: RelayRepo,
    private readonly communities: Communities,
    private readonly feeds: FeedViews,
    private readonly log: Logger,
  ) {}

  async start(): Promise<void> {
    this.discovery = new RelayDiscovery(this.dtn.node, this.rr, this.communities, this.log, this.feeds);
    this.discovery.start();
  }

  async close(): Promise<void> {
    this.discovery?.close();
  }

  status(): Record<string, unknown> {
    return { discovery: this.discovery.status() };
  }

  private readonly ask = async ({ req, res }: Exchange): Promise<void> => {
    const body = await readBody(req, MAX_QUERY_BYTES, () => new DiscoveryRefusal(413, 'too-long', `query larger than ${MAX_QUERY_BYTES} bytes`));
    sendJson(res, 202, await this.discovery.ask(body, req.socket.remoteAddress ?? 'unknown'));
  };

  private readonly answers = ({ res, tail }: Exchange): void => {
    const found = this.discovery.answers(tail);
    if (!found) throw new DiscoveryRefusal(404, 'not-found', 'no such query here (expired?)');
    sendJson(res, 200, found);
  };

  readonly routes = { discoveryQueries: { at: { POST: this.ask }, under: { GET: this.answers } } };
}
