import type http from 'node:http';
import { MAX_ENVELOPE_BYTES } from '../src/core/messaging/index.ts';
import { toBase64Url } from '../src/core/crypto/encoding.ts';
import { InboxError, type RelayInbox } from './inbox.ts';
import type { Logger } from './log.ts';
import { readBody, sendJson } from './http-util.ts';

/**
 * POST /api/inbox — body: one CBOR envelope; the relay takes custody. A member's phone signs the post
 * (`x-spm-auth`, purpose 'inbox-post', subject the body digest) so its message is kept ahead of
 * anonymous ones; unsigned posts are taken within the anonymous caps (429 beyond them).
 * GET /api/inbox/<agent-id> — `x-spm-auth: <agent>.<ms>.<nonce>.<sig>` (purpose 'inbox', subject the
 * agent id; see src/core/protocol/session-auth.ts), good once; answers `{envelopes: [base64url…]}`.
 */
export async function handleInbox(inbox: RelayInbox, req: http.IncomingMessage, res: http.ServerResponse, path: string, log: Logger): Promise<void> {
  try {
    if (req.method === 'POST' && path === '/api/inbox') {
      const body = await readBody(req, MAX_ENVELOPE_BYTES, () => new InboxError(413, `envelope larger than ${MAX_ENVELOPE_BYTES} bytes`));
      const id = await inbox.submit(body, String(req.headers['x-spm-auth'] ?? ''));
      return sendJson(res, 202, { id });
    }
    if (req.method === 'GET' && path.startsWith('/api/inbox/')) {
      const agent = decodeURIComponent(path.slice('/api/inbox/'.length));
      const envelopes = await inbox.fetch(agent, String(req.headers['x-spm-auth'] ?? ''));
      return sendJson(res, 200, { envelopes: envelopes.map(toBase64Url) });
    }
    sendJson(res, 405, { error: 'method not allowed' });
  } catch (err) {
    if (err instanceof InboxError) return sendJson(res, err.status, { error: err.message });
    log.error({ err: String(err) }, 'inbox request failed');
    if (!res.headersSent) sendJson(res, 500, { error: 'internal error' });
  }
}
