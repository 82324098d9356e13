import { isAgentId, isMessageId, isTime } from './checks.ts';
import { isEnvelope, MAX_AGE_MS } from './seal.ts';
import { MessagingError, type Envelope, type SealedMessage } from './types.ts';

/** A sealed message waiting for a relay to take custody of it. */
export interface OutboxItem {
  /** The message id (also its receipt key); the Outbox holds each id once. */
  id: string;
  to: string;
  envelope: Envelope;
  queued: number;
  attempts: number;
  lastAttempt: number | null;
}

/** Pure and JSON-serialisable (the phone's local tables). Holds ciphertext only: nothing here needs the vault. */
export interface OutboxState {
  v: 1;
  items: OutboxItem[];
}

export const MAX_OUTBOX_ITEMS = 500;
/** Retry backoff: 5 s, doubling per failed attempt, at most 10 minutes. */
export const RETRY_BASE_MS = 5_000;
export const RETRY_MAX_MS = 10 * 60_000;

export function emptyOutbox(): OutboxState {
  return { v: 1, items: [] };
}

/** Queues a sealed message once; MessagingError('full') when MAX_OUTBOX_ITEMS are waiting. */
export function enqueue(state: OutboxState, sealed: SealedMessage, now: number): OutboxState {
  const { message, envelope } = sealed;
  if (state.items.some((i) => i.id === message.id)) return state;
  if (state.items.length >= MAX_OUTBOX_ITEMS) throw new MessagingError('full', `outbox holds ${MAX_OUTBOX_ITEMS} messages already`);
  return { ...state, items: [...state.items, { id: message.id, to: envelope.to, envelope, queued: now, attempts: 0, lastAttempt: null }] };
}

export function retryDelay(attempts: number): number {
  return attempts <= 0 ? 0 : Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** Math.min(attempts - 1, 20));
}

/** Items to offer a relay now, oldest first. */
export function due(state: OutboxState, now: number): OutboxItem[] {
  return state.items.filter((i) => i.lastAttempt === null || now - i.lastAttempt >= retryDelay(i.attempts));
}

/** An attempt that did not end with the relay taking custody. */
export function markAttempt(state: OutboxState, id: string, now: number): OutboxState {
  return { ...state, items: state.items.map((i) => (i.id === id ? { ...i, attempts: i.attempts + 1, lastAttempt: now } : i)) };
}

/** The relay has taken custody (stored the bundle): the message leaves the outbox. */
export function markHandedOff(state: OutboxState, id: string): OutboxState {
  return { ...state, items: state.items.filter((i) => i.id !== id) };
}

/** Drops items too old to be accepted by their recipient anyway (openMessage's too-old). */
export function expire(state: OutboxState, now: number, maxAgeMs = MAX_AGE_MS): { state: OutboxState; expired: string[] } {
  const keep = state.items.filter((i) => i.queued >= now - maxAgeMs);
  const expired = state.items.filter((i) => i.queued < now - maxAgeMs).map((i) => i.id);
  return { state: { ...state, items: keep }, expired };
}

/** An outbox read back from storage, checked; MessagingError('malformed') otherwise. */
export function parseOutbox(json: unknown): OutboxState {
  const o = json as Partial<OutboxState> | null;
  if (typeof o !== 'object' || o === null || o.v !== 1 || !Array.isArray(o.items) || o.items.length > MAX_OUTBOX_ITEMS)
    throw new MessagingError('malformed', 'outbox: not an outbox');
  const ids = new Set<string>();
  const items = o.items.map((i: unknown) => {
    if (!isItem(i) || ids.has(i.id)) throw new MessagingError('malformed', 'outbox: bad item');
    ids.add(i.id);
    return { id: i.id, to: i.to, envelope: { ...i.envelope }, queued: i.queued, attempts: i.attempts, lastAttempt: i.lastAttempt };
  });
  return { v: 1, items };
}

function isItem(i: unknown): i is OutboxItem {
  const o = i as Partial<OutboxItem> | null;
  return (
    typeof o === 'object' &&
    o !== null &&
    isMessageId(o.id) &&
    isAgentId(o.to) &&
    isEnvelope(o.envelope) &&
    o.envelope.to === o.to &&
    isTime(o.queued) &&
    isTime(o.attempts) &&
    (o.lastAttempt === null || isTime(o.lastAttempt))
  );
}
