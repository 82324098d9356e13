import { MAX_ENVELOPE_BYTES } from '../src/core/messaging/index.ts';
import { toBase64Url } from '../src/core/crypto/encoding.ts';
import { AUTH_HEADER } from '../src/core/protocol/auth.ts';
import type { DtnService } from './dtn-service.ts';
import { readBody, sendJson } from './http-util.ts';
import { InboxError, RelayInbox } from './inbox.ts';
import type { Logger } from './log.ts';
import { RequestVerifier } from './request-auth.ts';
import type { Exchange, RelayService } from './service.ts';

/**
 * Sealed one-to-one messages (relay/inbox.ts) over HTTP:
 * POST /api/inbox — body: one CBOR envelope; the relay takes custody → 202 {id}.
 * GET /api/inbox/<agent-id> — signed by that agent (x-spm-auth, src/core/protocol/auth.ts); answers
 * `{envelopes: [base64url…]}`.
 */
export class InboxService implements RelayService {
  readonly name = 'inbox';
  /** Set by start(); routes are served only after every service started. */
  private inbox!: RelayInbox;

  constructor(
    private readonly dtn: DtnService,
    private readonly log: Logger,
    private readonly isMember: (key: string) => boolean,
  ) {}

  async start(): Promise<void> {
    this.inbox = new RelayInbox(this.dtn.node, this.log, new RequestVerifier(), this.isMember);
    this.inbox.start();
  }

  /** Envelopes are in the bundle store, which the DTN service closes. */
  async close(): Promise<void> {}

  private readonly post = async ({ req, res }: Exchange): Promise<void> => {
    const body = await readBody(req, MAX_ENVELOPE_BYTES, () => new InboxError(413, `envelope larger than ${MAX_ENVELOPE_BYTES} bytes`));
    // A member's phone signs its post (over POST of this route) so it is kept ahead of anonymous ones.
    const id = await this.inbox.submit(body, req.headers[AUTH_HEADER] as string | undefined);
    sendJson(res, 202, { id });
  };

  private readonly fetch = async ({ req, res, tail }: Exchange): Promise<void> => {
    const envelopes = await this.inbox.fetch(tail, req.headers[AUTH_HEADER] as string | undefined);
    sendJson(res, 200, { envelopes: envelopes.map(toBase64Url) });
  };

  readonly routes = { inbox: { at: { POST: this.post }, under: { GET: this.fetch } } };
}
