import type http from 'node:http';
import { AlertsError, MAX_ALERT_BYTES, type RelayAlerts } from './alerts.ts';
import type { Logger } from './log.ts';

function send(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

/** Keeps at most `limit` bytes; a bigger body is drained for a clear 413, one far bigger is cut off. */
function readBody(req: http.IncomingMessage, limit: number): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= limit) chunks.push(c);
      else if (size > 16 * limit) req.destroy();
    });
    req.on('end', () => (size > limit ? reject(new AlertsError(413, 'too-large', `record larger than ${limit} bytes`)) : resolve(new Uint8Array(Buffer.concat(chunks)))));
    req.on('error', reject);
  });
}

/**
 * POST /api/alerts?community=<id> — body: one signed Alert or AlertFollowUp (JSON); 202 {id} when
 * carried, or {error, code} with 400/404/409/413/422.
 * GET /api/alerts?community=<id> — {records: [...]}: unexpired alerts and their follow-ups held here.
 */
export async function handleAlerts(alerts: RelayAlerts, req: http.IncomingMessage, res: http.ServerResponse, log: Logger): Promise<void> {
  try {
    const community = new URL(req.url ?? '/', 'http://relay').searchParams.get('community') ?? '';
    if (req.method === 'POST') {
      const body = await readBody(req, MAX_ALERT_BYTES);
      return send(res, 202, await alerts.submit(community, body));
    }
    if (req.method === 'GET') return send(res, 200, { records: alerts.list(community) });
    send(res, 405, { error: 'method not allowed', code: 'method' });
  } catch (err) {
    if (err instanceof AlertsError) return send(res, err.status, { error: err.message, code: err.code });
    log.error({ err: String(err) }, 'alerts request failed');
    if (!res.headersSent) send(res, 500, { error: 'internal error', code: 'internal' });
  }
}
