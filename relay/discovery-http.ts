import type http from 'node:http';
import { MAX_QUERY_BYTES } from '../src/core/discovery/index.ts';
import { DiscoveryRefusal, type RelayDiscovery } from './discovery.ts';
import type { Logger } from './log.ts';

function send(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

function readBody(req: http.IncomingMessage, limit: number): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= limit) chunks.push(c);
      else if (size > 16 * limit) req.destroy();
    });
    req.on('end', () => (size > limit ? reject(new DiscoveryRefusal(413, 'too-long', `query larger than ${limit} bytes`)) : resolve(new Uint8Array(Buffer.concat(chunks)))));
    req.on('error', reject);
  });
}

/**
 * POST /api/discovery/queries — body: a DiscoveryQuery (JSON; createQuery with origin = this relay's
 *   node id from /api/info) → 202 {id, expires}
 * GET  /api/discovery/queries/<id> — {query, answers: [{island, islandName, local, created, received, age, results}]}
 * Refusals: {error, code} with 400 (malformed, wrong-origin), 401 (bad signature), 404, 413, 429.
 */
export async function handleDiscovery(d: RelayDiscovery, req: http.IncomingMessage, res: http.ServerResponse, path: string, log: Logger): Promise<void> {
  try {
    if (path === '/api/discovery/queries' && req.method === 'POST') {
      return send(res, 202, await d.ask(await readBody(req, MAX_QUERY_BYTES), req.socket.remoteAddress ?? 'unknown'));
    }
    if (path.startsWith('/api/discovery/queries/') && req.method === 'GET') {
      const found = d.answers(decodeURIComponent(path.slice('/api/discovery/queries/'.length)));
      return found ? send(res, 200, found) : send(res, 404, { error: 'no such query here (expired?)', code: 'not-found' });
    }
    send(res, 405, { error: 'method not allowed', code: 'method' });
  } catch (err) {
    if (err instanceof DiscoveryRefusal) return send(res, err.status, { error: err.message, code: err.code });
    log.error({ err: String(err) }, 'discovery request failed');
    if (!res.headersSent) send(res, 500, { error: 'internal error', code: 'internal' });
  }
}
