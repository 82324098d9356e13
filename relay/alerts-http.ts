import type http from 'node:http';
import { AlertsError, MAX_ALERT_BYTES, type RelayAlerts } from './alerts.ts';
import type { Logger } from './log.ts';
import { methodNotAllowed, readBody, sendJson } from './http-util.ts';

/**
 * POST /api/alerts?community=<id> — body: one signed Alert or AlertFollowUp (JSON); 202 {id} when
 * carried, or {error, code} with 400/404/409/413/422.
 * GET /api/alerts?community=<id> — {records: [...]}: unexpired alerts and their follow-ups held here.
 */
export async function handleAlerts(alerts: RelayAlerts, req: http.IncomingMessage, res: http.ServerResponse, log: Logger): Promise<void> {
  try {
    const community = new URL(req.url ?? '/', 'http://relay').searchParams.get('community') ?? '';
    if (req.method === 'POST') {
      const body = await readBody(req, MAX_ALERT_BYTES, () => new AlertsError(413, 'too-large', `record larger than ${MAX_ALERT_BYTES} bytes`));
      return sendJson(res, 202, await alerts.submit(community, body));
    }
    if (req.method === 'GET') return sendJson(res, 200, { records: alerts.list(community) });
    methodNotAllowed(res, 'GET, POST', 'method');
  } catch (err) {
    if (err instanceof AlertsError) return sendJson(res, err.status, { error: err.message, code: err.code });
    log.error({ err: String(err) }, 'alerts request failed');
    if (!res.headersSent) sendJson(res, 500, { error: 'internal error', code: 'internal' });
  }
}
