import { decodeEnvelope, EnvelopeCodecError, MAX_ENVELOPE_BYTES } from '../src/core/messaging/index.ts';
import { bundleId, decodeBundle } from '../src/core/dtn/index.ts';
import { agentOfInbox, inboxEndpoint } from '../src/core/protocol/endpoints.ts';
import { PAYLOAD_LIFETIME_MS, PAYLOAD_PRIORITY, Priority } from '../src/core/protocol/priority.ts';
import { inboxPath, Route } from '../src/core/protocol/routes.ts';
import type { DtnNode } from './dtn/node.ts';
import type { Logger } from './log.ts';
import type { RequestVerifier } from './request-auth.ts';
import { TokenBuckets } from './token-buckets.ts';
import { Refusal } from './refusal.ts';

/**
 * Who posts decides how a message is kept. A post signed by a member of a community served here goes
 * at the normal message priority, within a per-member rate. Any other post (unsigned, or by a key no
 * community lists: fresh keys cost nothing) is "anonymous": bulk priority, so the store evicts it
 * before any member's message and it can never push one out, at most anonPerRecipient held for one
 * person and anonTotal for everyone.
 */
export const INBOX_QUOTA = {
  member: { burst: 60, perSecond: 1 },
  anonPerRecipient: 50,
  anonTotal: 5000,
} as const;

/** Inbox refusals carry no code: their answers have always been `{error}` alone. */
export class InboxError extends Refusal {
  constructor(status: number, message: string) {
    super(status, undefined, message);
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
  /** Anonymous posts taken here (this run), by recipient: what the anonymous caps count. */
  private anonByAgent = new Map<string, Set<string>>();
  private anonCount = 0;
  private readonly memberPosts = new TokenBuckets(INBOX_QUOTA.member);

  constructor(
    private readonly node: DtnNode,
    private readonly log: Logger,
    private readonly requests: RequestVerifier,
    private readonly isMember: (key: string) => boolean,
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

  /**
   * A phone hands over a sealed envelope; the relay takes custody and carries it. `auth` is the
   * optional x-spm-auth of a member's post (signed over POST of the inbox route; good once).
   */
  async submit(bytes: Uint8Array, auth?: string, now = Date.now()): Promise<string> {
    if (bytes.length > MAX_ENVELOPE_BYTES) throw new InboxError(413, `envelope larger than ${MAX_ENVELOPE_BYTES} bytes`);
    let to: string;
    try {
      to = decodeEnvelope(bytes).to;
    } catch (err) {
      throw new InboxError(400, err instanceof EnvelopeCodecError ? `bad envelope: ${err.code}` : 'bad envelope');
    }
    let member = false;
    if (auth) {
      const v = this.requests.verify(auth, { method: 'POST', path: Route.inbox }, now);
      if (!v.ok) throw new InboxError(401, v.reason);
      member = this.isMember(v.agent);
      if (member && !this.memberPosts.take(v.agent, 1, now)) throw new InboxError(429, 'too many messages from this member; try again shortly');
    }
    const anon = member ? undefined : this.anonSlot(to);
    const destination = inboxEndpoint(to);
    const priority = member ? PAYLOAD_PRIORITY.message : Priority.Low;
    const id = await this.node.originate({ destination, payload: bytes, priority, audience: 'private', lifetimeMs: PAYLOAD_LIFETIME_MS.message });
    this.index(destination, id);
    if (anon && !anon.has(id)) {
      anon.add(id);
      this.anonCount++;
    }
    this.log.debug({ member }, 'message envelope taken into custody');
    return id;
  }

  /** The anonymous posts held for `to`, if there is room for one more (forgetting ones gone from the store). */
  private anonSlot(to: string): Set<string> {
    let set = this.anonByAgent.get(to);
    if (!set) this.anonByAgent.set(to, (set = new Set()));
    if (set.size >= INBOX_QUOTA.anonPerRecipient || this.anonCount >= INBOX_QUOTA.anonTotal) {
      for (const id of set) {
        if (this.node.store.meta(id)) continue;
        set.delete(id);
        this.anonCount--;
      }
    }
    if (set.size >= INBOX_QUOTA.anonPerRecipient) throw new InboxError(429, 'too many unsigned messages waiting for this person');
    if (this.anonCount >= INBOX_QUOTA.anonTotal) throw new InboxError(429, 'too many unsigned messages waiting here');
    return set;
  }

  /**
   * Envelopes waiting for `agentId`, if the request proves it comes from that key: `auth` is the
   * x-spm-auth header, signed over GET of that agent's inbox path.
   */
  async fetch(agentId: string, auth: string | undefined, now = Date.now()): Promise<Uint8Array[]> {
    if (!/^[A-Za-z0-9_-]{43}$/.test(agentId)) throw new InboxError(400, 'not an agent id');
    const v = this.requests.verify(auth, { method: 'GET', path: inboxPath(agentId) }, now);
    if (!v.ok) throw new InboxError(401, v.reason);
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
