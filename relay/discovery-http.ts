import type http from 'node:http';
import { MAX_QUERY_BYTES } from '../src/core/discovery/index.ts';
import { Route, tailOf } from '../src/core/protocol/routes.ts';
import { DiscoveryRefusal, type RelayDiscovery } from './discovery.ts';
import type { Logger } from './log.ts';
import { methodNotAllowed, readBody, sendJson } from './http-util.ts';

/**
 * POST /api/discovery/queries — body: a DiscoveryQuery (JSON; createQuery with origin = this relay's
 *   node id from /api/info) → 202 {id, expires}
 * GET  /api/discovery/queries/<id> — {query, answers: [{island, islandName, local, created, received, age, results}]}
 * Refusals: {error, code} with 400 (malformed, wrong-origin), 401 (bad signature), 404, 413, 429.
 */
export async function handleDiscovery(d: RelayDiscovery, req: http.IncomingMessage, res: http.ServerResponse, path: string, log: Logger): Promise<void> {
  try {
    if (path === Route.discoveryQueries && req.method === 'POST') {
      return sendJson(res, 202, await d.ask(await readBody(req, MAX_QUERY_BYTES, () => new DiscoveryRefusal(413, 'too-long', `query larger than ${MAX_QUERY_BYTES} bytes`)), req.socket.remoteAddress ?? 'unknown'));
    }
    const queryId = tailOf(path, Route.discoveryQueries);
    if (queryId !== undefined && req.method === 'GET') {
      const found = d.answers(queryId);
      return found ? sendJson(res, 200, found) : sendJson(res, 404, { error: 'no such query here (expired?)', code: 'not-found' });
    }
    methodNotAllowed(res, path === Route.discoveryQueries ? 'POST' : 'GET', 'method');
  } catch (err) {
    if (err instanceof DiscoveryRefusal) return sendJson(res, err.status, { error: err.message, code: err.code });
    log.error({ err: String(err) }, 'discovery request failed');
    if (!res.headersSent) sendJson(res, 500, { error: 'internal error', code: 'internal' });
  }
}
