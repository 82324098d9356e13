import { fromBase64Url } from '../core/crypto/encoding.ts';
import { authHeaders } from '../core/protocol/auth.ts';
import { inboxPath, Route, type InboxEnvelopes } from '../core/protocol/routes.ts';
import type { Identity } from '../core/crypto/keys.ts';
import {
  acceptMessage,
  conversationList,
  decodeEnvelope,
  due,
  emptyInbox,
  emptyOutbox,
  encodeEnvelope,
  enqueue,
  markAttempt,
  markHandedOff,
  markRead,
  markRefused,
  openMessage,
  parseInbox,
  parseOutbox,
  recordSent,
  sealMessage,
  sealReceipt,
  totalUnread,
  type InboxState,
  type OutboxState,
  type Recipient,
} from '../core/messaging/index.ts';
import type { Conversation } from '../core/messaging/index.ts';
import type { Decision } from '../core/trust/index.ts';
import { UserError } from './errors.ts';
import type { MessageNotice, MessageNotifier, RelayHttp } from './ports.ts';
import { Store } from './store.ts';
import type { SecretStore } from './vault.ts';
import { PollLoop } from './poll-loop.ts';

export interface MessagesState {
  conversations: Conversation[];
  unread: number;
  /** Messages sealed here that no relay has taken yet. */
  outboxCount: number;
  /** Their ids (receipts among them): a conversation says which of mine are still on this phone. */
  messagesWaiting: string[];
  /** Envelopes refused, by reason (tampered, wrong-recipient, bad-signature, …); never shown as messages. */
  messageRejects: Record<string, number>;
}

/** What the messenger needs besides its identity and storage. */
export interface MessengerHost {
  relay: RelayHttp;
  /** Whether the relay is reachable now (polling waits otherwise). */
  connected(): boolean;
  /** My 'message' gate (undefined before trust is first computed: not refused). */
  gate(): Decision | undefined;
  /** A member's published box key, where messages to them are sealed. */
  recipient(agentId: string): Recipient | undefined;
  /** A member's name as the directory has it ('' when unknown). */
  name?(agentId: string): string;
  /** Tells the person a new message came (who from, never its text). */
  notify?: MessageNotifier;
}

export function emptyMessages(): MessagesState {
  return { conversations: [], unread: 0, outboxCount: 0, messagesWaiting: [], messageRejects: {} };
}

const POLL_MS = 5_000;

/**
 * What the hub answers for an envelope it can never take: one it cannot read (400) or one too large (413).
 * Anything else — a busy hub (429), a signature it doubts (401: a phone clock far off), no answer — may
 * pass at a later try.
 */
const REFUSED_FOR_GOOD = new Set([400, 413]);

/**
 * One-to-one messages: sealed on this phone, handed to the relay as envelopes (it carries them to the
 * reader's island as bundles), fetched from the relay's inbox with a signed request, opened here.
 * Every new message is answered with a sealed delivery receipt.
 */
export class Messenger {
  private inbox: InboxState;
  private outbox: OutboxState = emptyOutbox();
  private readonly polling = new PollLoop(POLL_MS, async () => {
    if (this.host.connected()) await this.sync();
  });
  private busy = false;

  constructor(
    private readonly me: Identity,
    private readonly store: SecretStore,
    private readonly host: MessengerHost,
    /** Passed in so whoever renders it keeps one subscription across identities. */
    readonly state = new Store<MessagesState>(emptyMessages()),
  ) {
    this.inbox = emptyInbox(me.agentId);
  }

  async load(): Promise<void> {
    try {
      this.inbox = parseInbox((await this.store.get('inbox')) ?? emptyInbox(this.me.agentId));
      this.outbox = parseOutbox((await this.store.get('outbox')) ?? emptyOutbox());
    } catch (err) {
      console.error('messages could not be read back', err);
    }
    this.publish();
  }

  private publish(): void {
    const waiting = this.outbox.items.map((i) => i.id);
    this.state.set({ conversations: conversationList(this.inbox), unread: totalUnread(this.inbox), outboxCount: waiting.length, messagesWaiting: waiting });
  }

  private async save(): Promise<void> {
    await this.store.put('inbox', this.inbox);
    await this.store.put('outbox', this.outbox);
    this.publish();
  }

  /** Checks the gate, the recipient and the text, then seals and queues it. */
  async sendTo(peer: string, text: string): Promise<void> {
    const gate = this.host.gate();
    if (gate && !gate.allowed) throw new UserError(gate.reason);
    const to = this.host.recipient(peer);
    if (!to) throw new UserError('messages.noRecipient');
    const trimmed = text.trim();
    if (!trimmed) throw new UserError('error.required');
    if (trimmed.length > 4000) throw new UserError('error.tooLong');
    await this.send(to, trimmed);
  }

  async send(to: Recipient, text: string): Promise<void> {
    const sealed = sealMessage(this.me, to, { kind: 'text', text }, Date.now());
    this.outbox = enqueue(this.outbox, sealed, Date.now());
    this.inbox = recordSent(this.inbox, sealed.message);
    await this.save(); // in the outbox before any network: a reload loses nothing
    void this.sync();
  }

  async read(peer: string): Promise<void> {
    this.inbox = markRead(this.inbox, peer);
    await this.save();
  }

  /** Polls while the relay is reachable; `sync` also runs at once after a send or a reconnect. */
  start(): void {
    this.polling.start();
  }

  stop(): void {
    this.polling.stop();
  }

  async sync(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      await this.flushOutbox();
      await this.fetchInbox();
    } finally {
      this.busy = false;
    }
  }

  private async flushOutbox(): Promise<void> {
    for (const item of due(this.outbox, Date.now())) {
      // Signed as a member's post: the relay keeps it ahead of anonymous ones (the envelope stays sealed).
      const headers = authHeaders(this.me, { method: 'POST', path: Route.inbox });
      const res = await this.host.relay.fetch(this.host.relay.base + Route.inbox, { method: 'POST', body: encodeEnvelope(item.envelope) as BodyInit, headers }).catch(() => undefined);
      if (res && REFUSED_FOR_GOOD.has(res.status)) {
        // The same bytes would be refused at every try: it leaves the outbox, and the conversation says so.
        console.warn('relay refused a message for good', res.status);
        this.outbox = markHandedOff(this.outbox, item.id);
        this.inbox = markRefused(this.inbox, item.to, item.id);
        continue;
      }
      this.outbox = res?.status === 202 ? markHandedOff(this.outbox, item.id) : markAttempt(this.outbox, item.id, Date.now());
      if (res && res.status >= 400 && res.status < 500) console.warn('relay refused a message', res.status);
    }
    await this.save();
  }

  private async fetchInbox(): Promise<void> {
    const path = inboxPath(this.me.agentId);
    const res = await this.host.relay.fetch(this.host.relay.base + path, { headers: authHeaders(this.me, { method: 'GET', path }), cache: 'no-store' }).catch(() => undefined);
    if (!res?.ok) return;
    const { envelopes } = (await res.json()) as InboxEnvelopes;
    let changed = false;
    const fresh: MessageNotice[] = [];
    for (const text of envelopes) changed = this.take(text, fresh) || changed;
    if (changed) await this.save();
    // Only once saved: the inbox remembers these ids, so the relay handing them out again — at the next
    // poll or after a restart — finds them already seen and notifies nothing.
    for (const m of fresh) await this.tell(m);
  }

  private async tell(m: MessageNotice): Promise<void> {
    try {
      await this.host.notify?.(m);
    } catch (err) {
      // The unread badge still tells; a notification the platform refused must not stop the inbox.
      console.warn('message notification failed', err);
    }
  }

  /** Opens one envelope; a bad one is counted by reason and never shown. A new message from someone else joins `fresh`. */
  private take(text: string, fresh: MessageNotice[]): boolean {
    let opened;
    try {
      opened = openMessage(this.me, decodeEnvelope(fromBase64Url(text)), Date.now());
    } catch {
      opened = { ok: false as const, reason: 'malformed' as const };
    }
    if (!opened.ok) {
      this.reject(opened.reason, text);
      return false;
    }
    const { state, outcome } = acceptMessage(this.inbox, opened.message);
    this.inbox = state;
    if (outcome === 'new') {
      const receipt = sealReceipt(this.me, opened.message, Date.now());
      this.outbox = enqueue(this.outbox, receipt, Date.now());
      const from = opened.message.author;
      if (from !== this.me.agentId) fresh.push({ messageId: opened.message.id, from, fromName: this.host.name?.(from) ?? '' });
    }
    return outcome === 'new' || outcome === 'delivered';
  }

  /** Each bad envelope is counted once, however often the relay hands it out again. */
  private rejectedSeen = new Set<string>();
  private reject(reason: string, text: string): void {
    if (this.rejectedSeen.has(text)) return;
    this.rejectedSeen.add(text);
    const counts = this.state.state.messageRejects;
    this.state.set({ messageRejects: { ...counts, [reason]: (counts[reason] ?? 0) + 1 } });
  }
}
