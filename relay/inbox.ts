import { decodeEnvelope, EnvelopeCodecError, MAX_ENVELOPE_BYTES } from '../src/core/messaging/index.ts';
import { bundleId, decodeBundle } from '../src/core/dtn/index.ts';
import { AUTH_FAILURE_TEXT, verifyRequest } from '../src/core/protocol/auth.ts';
import { agentOfInbox, inboxEndpoint } from '../src/core/protocol/endpoints.ts';
import { PAYLOAD_LIFETIME_MS, PAYLOAD_PRIORITY } from '../src/core/protocol/priority.ts';
import { inboxPath } from '../src/core/protocol/routes.ts';
import type { DtnNode } from './dtn/node.ts';
import type { Logger } from './log.ts';

export class InboxError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Sealed one-to-one messages as DTN bundles to `dtn://<agent-id>/~inbox`. The relay reads only the
 * envelope's recipient (routing needs it); sender, text and receipts stay inside the box. Messages
 * travel epidemically like every bundle, so a reader finds them on whichever island they are.
 */
export class RelayInbox {
  /** agent id -> bundle ids held for them; rebuilt from the store at start. */
  private byAgent = new Map<string, Set<string>>();

  constructor(
    private readonly node: DtnNode,
    private readonly log: Logger,
  ) {}

  start(): void {
    for (const m of this.node.store.list({ where: (m) => agentOfInbox(m.destination) !== undefined })) this.index(m.destination, m.id);
    this.node.on('deliver', (b) => {
      const dest = b.primary.destination;
      if (agentOfInbox(dest) !== undefined) this.index(dest, bundleId(b));
    });
  }

  private index(destination: string, id: string): void {
    const agent = agentOfInbox(destination);
    if (!agent) return;
    let set = this.byAgent.get(agent);
    if (!set) this.byAgent.set(agent, (set = new Set()));
    set.add(id);
  }

  /** A phone hands over a sealed envelope; the relay takes custody and carries it. */
  async submit(bytes: Uint8Array): Promise<string> {
    if (bytes.length > MAX_ENVELOPE_BYTES) throw new InboxError(413, `envelope larger than ${MAX_ENVELOPE_BYTES} bytes`);
    let to: string;
    try {
      to = decodeEnvelope(bytes).to;
    } catch (err) {
      throw new InboxError(400, err instanceof EnvelopeCodecError ? `bad envelope: ${err.code}` : 'bad envelope');
    }
    const destination = inboxEndpoint(to);
    const id = await this.node.originate({ destination, payload: bytes, priority: PAYLOAD_PRIORITY.message, audience: 'private', lifetimeMs: PAYLOAD_LIFETIME_MS.message });
    this.index(destination, id);
    this.log.debug('message envelope taken into custody');
    return id;
  }

  /**
   * Envelopes waiting for `agentId`, if the request proves it comes from that key: `auth` is the
   * x-spm-auth header, signed over GET of that agent's inbox path.
   */
  async fetch(agentId: string, auth: string | undefined, now = Date.now()): Promise<Uint8Array[]> {
    if (!/^[A-Za-z0-9_-]{43}$/.test(agentId)) throw new InboxError(400, 'not an agent id');
    const v = verifyRequest(auth, { method: 'GET', path: inboxPath(agentId) }, now);
    if (!v.ok) throw new InboxError(401, AUTH_FAILURE_TEXT[v.reason]);
    if (v.agent !== agentId) throw new InboxError(401, 'signed by another agent');
    const ids = this.byAgent.get(agentId);
    if (!ids) return [];
    const out: Uint8Array[] = [];
    for (const id of [...ids]) {
      const bytes = await this.node.store.get(id);
      if (!bytes) {
        ids.delete(id); // expired or evicted
        continue;
      }
      const decoded = decodeBundle(bytes);
      if (decoded.ok) out.push(decoded.bundle.payload.data);
    }
    return out;
  }
}
