import type http from 'node:http';
import type { Communities } from './communities.ts';
import type { RelayConfig } from './config.ts';
import type { Dtn } from './dtn/index.ts';
import { RelayDiscovery } from './discovery.ts';
import { handleDiscovery } from './discovery-http.ts';
import { RelayLibrary } from './library.ts';
import { handleLibrary } from './library-http.ts';
import { memberCheck } from './library-members.ts';
import type { FeedViews } from './feed-views.ts';
import type { Logger } from './log.ts';
import type { RelayRepo } from './repo.ts';
import { DISCOVERY_PREFIX, LIBRARY_PREFIX, Route as ApiRoute } from '../src/core/protocol/routes.ts';

export type Route = (req: http.IncomingMessage, res: http.ServerResponse, path: string) => boolean;

/**
 * The community library (issue 10: chunked files across islands) and discovery search, wired to the
 * relay: starts both, adds their status, and returns the HTTP route for /api/library and /api/discovery.
 * The library keeps at most half the bundle store's budget (1 GiB at most) of chunks for phones.
 */
export async function mountLibrary(cfg: RelayConfig, dtn: Dtn, rr: RelayRepo, communities: Communities, feeds: FeedViews, status: Map<string, () => unknown>, log: Logger): Promise<Route> {
  const isMember = memberCheck(rr, communities);
  const library = new RelayLibrary(dtn.node, { dataDir: cfg.dataDir, budgetBytes: Math.min(1024 ** 3, Math.floor(cfg.storeBudget / 2)), isMember }, log);
  await library.start();
  const discovery = new RelayDiscovery(dtn.node, rr, communities, log, feeds);
  discovery.start();
  status.set('library', () => library.status());
  status.set('discovery', () => discovery.status());
  return (req, res, path) => {
    if (path === ApiRoute.library || path.startsWith(LIBRARY_PREFIX)) void handleLibrary(library, isMember, req, res, path, log);
    else if (path.startsWith(DISCOVERY_PREFIX)) void handleDiscovery(discovery, req, res, path, log);
    else return false;
    return true;
  };
}
