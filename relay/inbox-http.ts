import type http from 'node:http';
import { MAX_ENVELOPE_BYTES } from '../src/core/messaging/index.ts';
import { toBase64Url } from '../src/core/crypto/encoding.ts';
import { InboxError, type RelayInbox } from './inbox.ts';
import type { Logger } from './log.ts';

function send(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

/**
 * Keeps at most `limit` bytes. A bigger body is drained (so the client reads a clear 413 rather than a
 * reset) but not kept; one far beyond the limit is cut off.
 */
function readBody(req: http.IncomingMessage, limit: number): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= limit) chunks.push(c);
      else if (size > 16 * limit) req.destroy();
    });
    req.on('end', () => (size > limit ? reject(new InboxError(413, `envelope larger than ${limit} bytes`)) : resolve(new Uint8Array(Buffer.concat(chunks)))));
    req.on('error', reject);
  });
}

/**
 * POST /api/inbox — body: one CBOR envelope; the relay takes custody.
 * GET /api/inbox/<agent-id> — header `x-spm-auth: <ms>.<sig>` (ed25519 by that agent over
 * `spm-inbox:<agent-id>:<ms>`); answers `{envelopes: [base64url…]}`.
 */
export async function handleInbox(inbox: RelayInbox, req: http.IncomingMessage, res: http.ServerResponse, path: string, log: Logger): Promise<void> {
  try {
    if (req.method === 'POST' && path === '/api/inbox') {
      const id = await inbox.submit(await readBody(req, MAX_ENVELOPE_BYTES));
      return send(res, 202, { id });
    }
    if (req.method === 'GET' && path.startsWith('/api/inbox/')) {
      const agent = decodeURIComponent(path.slice('/api/inbox/'.length));
      const [ts, sig] = String(req.headers['x-spm-auth'] ?? '').split('.');
      const envelopes = await inbox.fetch(agent, Number(ts), sig ?? '');
      return send(res, 200, { envelopes: envelopes.map(toBase64Url) });
    }
    send(res, 405, { error: 'method not allowed' });
  } catch (err) {
    if (err instanceof InboxError) return send(res, err.status, { error: err.message });
    log.error({ err: String(err) }, 'inbox request failed');
    if (!res.headersSent) send(res, 500, { error: 'internal error' });
  }
}
