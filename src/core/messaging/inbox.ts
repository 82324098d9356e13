import { isAgentId, isMessageId, isTime } from './checks.ts';
import { MAX_AGE_MS } from './seal.ts';
import { MessagingError, type Message } from './types.ts';

/**
 * A text message as a conversation shows it. `status` is set on my own messages only: 'refused' when the
 * hub would never take it (a message it cannot read or too large), so it went nowhere.
 */
export interface ChatMessage {
  id: string;
  from: string;
  to: string;
  created: number;
  text: string;
  status?: 'sent' | 'delivered' | 'refused';
}

export interface Conversation {
  peer: string;
  /** Ordered by created, then id. */
  messages: ChatMessage[];
  unread: number;
}

/** Pure and JSON-serialisable, so the PWA can keep it in its local tables (inside a sealed field). */
export interface InboxState {
  v: 1;
  me: string;
  /** Every message id accepted (texts and receipts), with its created time, for replay refusal. */
  seen: Record<string, number>;
  conversations: Record<string, Conversation>;
}

export type AcceptOutcome =
  | 'new'
  /** Already accepted once: dropped. */
  | 'replayed'
  /** A receipt that marked one of my messages delivered. */
  | 'delivered'
  /** A receipt for nothing I sent to its author: dropped (but remembered as seen). */
  | 'receipt-unknown'
  /** Neither from nor to me. */
  | 'not-mine';

/** Oldest messages beyond this are dropped from a conversation, so one chatty peer cannot grow it forever. */
export const MAX_MESSAGES_PER_CONVERSATION = 2000;

export function emptyInbox(me: string): InboxState {
  return { v: 1, me, seen: {}, conversations: {} };
}

function withMessage(conv: Conversation | undefined, peer: string, m: ChatMessage, unreadDelta: number): Conversation {
  const messages = [...(conv?.messages ?? []), m].sort((a, b) => a.created - b.created || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { peer, messages: messages.slice(-MAX_MESSAGES_PER_CONVERSATION), unread: (conv?.unread ?? 0) + unreadDelta };
}

/** Takes an opened message into the inbox once; the same id again is 'replayed' and changes nothing. */
export function acceptMessage(state: InboxState, m: Message): { state: InboxState; outcome: AcceptOutcome } {
  if (m.to !== state.me) return { state, outcome: 'not-mine' };
  if (Object.hasOwn(state.seen, m.id)) return { state, outcome: 'replayed' };
  const seen = { ...state.seen, [m.id]: m.created };
  if (m.body.kind === 'receipt') return applyReceipt({ ...state, seen }, m.author, m.body.of);
  const chat: ChatMessage = { id: m.id, from: m.author, to: m.to, created: m.created, text: m.body.text };
  const conv = withMessage(state.conversations[m.author], m.author, chat, 1);
  return { state: { ...state, seen, conversations: { ...state.conversations, [m.author]: conv } }, outcome: 'new' };
}

/** A receipt counts only when it comes from the person my message was sent to. */
function applyReceipt(state: InboxState, from: string, of: string): { state: InboxState; outcome: AcceptOutcome } {
  const next = withStatus(state, from, of, 'delivered');
  return next ? { state: next, outcome: 'delivered' } : { state, outcome: 'receipt-unknown' };
}

/** The inbox with my message `id` in the conversation with `peer` set to `status`; undefined when it holds no such message of mine. */
function withStatus(state: InboxState, peer: string, id: string, status: NonNullable<ChatMessage['status']>): InboxState | undefined {
  const conv = state.conversations[peer];
  const mine = (x: ChatMessage): boolean => x.id === id && x.from === state.me;
  if (!conv?.messages.some(mine)) return undefined;
  const messages = conv.messages.map((x) => (mine(x) ? { ...x, status } : x));
  return { ...state, conversations: { ...state.conversations, [peer]: { ...conv, messages } } };
}

/** My own text message, as sealed by sealMessage, shown as 'sent' until its receipt arrives. */
export function recordSent(state: InboxState, m: Message): InboxState {
  if (m.author !== state.me || m.body.kind !== 'text' || Object.hasOwn(state.seen, m.id)) return state;
  const chat: ChatMessage = { id: m.id, from: m.author, to: m.to, created: m.created, text: m.body.text, status: 'sent' };
  const conv = withMessage(state.conversations[m.to], m.to, chat, 0);
  return { ...state, seen: { ...state.seen, [m.id]: m.created }, conversations: { ...state.conversations, [m.to]: conv } };
}

/** My message `id` to `peer` went nowhere: the hub refused it for good. */
export function markRefused(state: InboxState, peer: string, id: string): InboxState {
  return withStatus(state, peer, id, 'refused') ?? state;
}

export function markRead(state: InboxState, peer: string): InboxState {
  const conv = state.conversations[peer];
  if (!conv || conv.unread === 0) return state;
  return { ...state, conversations: { ...state.conversations, [peer]: { ...conv, unread: 0 } } };
}

const lastCreated = (c: Conversation): number => c.messages.at(-1)?.created ?? 0;

/** Conversations, most recent activity first. */
export function conversationList(state: InboxState): Conversation[] {
  return Object.values(state.conversations).sort((a, b) => lastCreated(b) - lastCreated(a) || (a.peer < b.peer ? -1 : 1));
}

export function totalUnread(state: InboxState): number {
  return Object.values(state.conversations).reduce((n, c) => n + c.unread, 0);
}

/**
 * Forgets seen ids older than `maxAgeMs`. Safe only with the same limit as openMessage's too-old check
 * (MAX_AGE_MS by default): a replay of anything forgotten is refused there.
 */
export function pruneSeen(state: InboxState, now: number, maxAgeMs = MAX_AGE_MS): InboxState {
  const seen = Object.fromEntries(Object.entries(state.seen).filter(([, t]) => t >= now - maxAgeMs));
  return { ...state, seen };
}

/** An inbox read back from storage, checked; MessagingError('malformed') otherwise. */
export function parseInbox(json: unknown): InboxState {
  const bad = (why: string) => new MessagingError('malformed', `inbox: ${why}`);
  const o = json as Partial<InboxState> | null;
  if (typeof o !== 'object' || o === null || o.v !== 1 || !isAgentId(o.me)) throw bad('not an inbox');
  if (typeof o.seen !== 'object' || o.seen === null || typeof o.conversations !== 'object' || o.conversations === null) throw bad('missing maps');
  const seen: Record<string, number> = {};
  for (const [id, t] of Object.entries(o.seen)) {
    if (!isMessageId(id) || !isTime(t)) throw bad('bad seen entry');
    seen[id] = t;
  }
  const conversations: Record<string, Conversation> = {};
  for (const [peer, c] of Object.entries(o.conversations)) {
    if (!isAgentId(peer) || !isConversation(c, peer, o.me)) throw bad('bad conversation');
    conversations[peer] = { peer, unread: c.unread, messages: c.messages.map((m) => ({ ...m })) };
  }
  return { v: 1, me: o.me, seen, conversations };
}

function isConversation(c: unknown, peer: string, me: string): c is Conversation {
  const o = c as Partial<Conversation> | null;
  if (typeof o !== 'object' || o === null || o.peer !== peer || !isTime(o.unread) || !Array.isArray(o.messages)) return false;
  return o.messages.length <= MAX_MESSAGES_PER_CONVERSATION && o.messages.every((m) => isChat(m, peer, me));
}

function isChat(m: unknown, peer: string, me: string): boolean {
  const o = m as Partial<ChatMessage> | null;
  if (typeof o !== 'object' || o === null || !isMessageId(o.id) || !isTime(o.created) || typeof o.text !== 'string') return false;
  const mine = o.from === me && o.to === peer && (o.status === 'sent' || o.status === 'delivered' || o.status === 'refused');
  const theirs = o.from === peer && o.to === me && o.status === undefined;
  return mine || theirs;
}
