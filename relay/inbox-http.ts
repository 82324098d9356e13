import type http from 'node:http';
import { MAX_ENVELOPE_BYTES } from '../src/core/messaging/index.ts';
import { toBase64Url } from '../src/core/crypto/encoding.ts';
import { AUTH_HEADER } from '../src/core/protocol/auth.ts';
import { Route, tailOf } from '../src/core/protocol/routes.ts';
import { InboxError, type RelayInbox } from './inbox.ts';
import type { Logger } from './log.ts';
import { methodNotAllowed, readBody, sendJson } from './http-util.ts';

/**
 * POST /api/inbox — body: one CBOR envelope; the relay takes custody.
 * GET /api/inbox/<agent-id> — signed by that agent (x-spm-auth, src/core/protocol/auth.ts); answers
 * `{envelopes: [base64url…]}`.
 */
export async function handleInbox(inbox: RelayInbox, req: http.IncomingMessage, res: http.ServerResponse, path: string, log: Logger): Promise<void> {
  try {
    if (req.method === 'POST' && path === Route.inbox) {
      const id = await inbox.submit(await readBody(req, MAX_ENVELOPE_BYTES, () => new InboxError(413, `envelope larger than ${MAX_ENVELOPE_BYTES} bytes`)));
      return sendJson(res, 202, { id });
    }
    const agent = tailOf(path, Route.inbox);
    if (req.method === 'GET' && agent !== undefined) {
      const envelopes = await inbox.fetch(agent, req.headers[AUTH_HEADER] as string | undefined);
      return sendJson(res, 200, { envelopes: envelopes.map(toBase64Url) });
    }
    methodNotAllowed(res, path === Route.inbox ? 'POST' : 'GET');
  } catch (err) {
    if (err instanceof InboxError) return sendJson(res, err.status, { error: err.message });
    log.error({ err: String(err) }, 'inbox request failed');
    if (!res.headersSent) sendJson(res, 500, { error: 'internal error' });
  }
}
