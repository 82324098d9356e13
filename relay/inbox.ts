import nacl from 'tweetnacl';
import { fromBase64Url, utf8 } from '../src/core/crypto/encoding.ts';
import { decodeEnvelope, EnvelopeCodecError, MAX_ENVELOPE_BYTES } from '../src/core/messaging/index.ts';
import { bundleId, decodeBundle } from '../src/core/dtn/index.ts';
import type { DtnNode } from './dtn/node.ts';
import type { Logger } from './log.ts';

/** Messages wait for their reader as long as any bundle: a week, for bridges that come rarely. */
const INBOX_LIFETIME_MS = 7 * 24 * 3600e3;
/** A signed inbox request is fresh for this long either side of the relay's clock (phones drift). */
export const AUTH_WINDOW_MS = 10 * 60_000;
const INBOX = /^dtn:\/\/~([A-Za-z0-9_-]{43})\/inbox$/;

export const inboxEndpoint = (agentId: string) => `dtn://~${agentId}/inbox`;
export const inboxAuthText = (agentId: string, ts: number) => `spm-inbox:${agentId}:${ts}`;

export class InboxError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Sealed one-to-one messages as DTN bundles to `dtn://~<agent-id>/inbox`. The relay reads only the
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
    for (const m of this.node.store.list({ where: (m) => INBOX.test(m.destination) })) this.index(m.destination, m.id);
    this.node.on('deliver', (b) => {
      const dest = b.primary.destination;
      if (INBOX.test(dest)) this.index(dest, bundleId(b));
    });
  }

  private index(destination: string, id: string): void {
    const agent = INBOX.exec(destination)?.[1];
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
    const id = await this.node.originate({ destination, payload: bytes, priority: 2, audience: 'private', lifetimeMs: INBOX_LIFETIME_MS });
    this.index(destination, id);
    this.log.debug('message envelope taken into custody');
    return id;
  }

  /** Envelopes waiting for `agentId`, if the request proves it comes from that key. */
  async fetch(agentId: string, ts: number, sig: string, now = Date.now()): Promise<Uint8Array[]> {
    if (!/^[A-Za-z0-9_-]{43}$/.test(agentId)) throw new InboxError(400, 'not an agent id');
    if (!Number.isSafeInteger(ts) || Math.abs(now - ts) > AUTH_WINDOW_MS) throw new InboxError(401, 'request time outside the allowed window');
    let ok = false;
    try {
      ok = nacl.sign.detached.verify(utf8.encode(inboxAuthText(agentId, ts)), fromBase64Url(sig), fromBase64Url(agentId));
    } catch {
      ok = false;
    }
    if (!ok) throw new InboxError(401, 'signature does not verify');
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
