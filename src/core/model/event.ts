import type { Identity } from '../crypto/keys.ts';
import { randomBytes } from '../crypto/keys.ts';
import { randomId } from '../crypto/encoding.ts';
import { signRecord, verifyRecord, type Unsigned } from '../crypto/sign.ts';
import type { EconomicEvent, Intent } from './types.ts';

/**
 * "Given" (my offer) or "received" (my need): an EconomicEvent that satisfies the intent.
 * The counterpart is optional: gifts often go to someone not on the app.
 */
export function recordHandOver(me: Identity, intent: Intent, counterpart: string | undefined, note: string, now: number, fulfills?: string): EconomicEvent {
  const isOffer = intent.kind === 'offer';
  const e: Unsigned<EconomicEvent> = {
    type: 'event',
    id: randomId(randomBytes),
    author: me.agentId,
    action: intent.action,
    resourceConformsTo: intent.resourceConformsTo,
    satisfies: intent.id,
    ...(fulfills ? { fulfills } : {}),
    note,
    hasPointInTime: now,
    ...(isOffer ? { provider: me.agentId } : { receiver: me.agentId }),
    ...(counterpart ? (isOffer ? { receiver: counterpart } : { provider: counterpart }) : {}),
    ...(intent.resourceQuantity ? { resourceQuantity: { ...intent.resourceQuantity } } : {}),
  };
  return signRecord<EconomicEvent>(e, me.signSecretKey);
}

export function checkEvent(r: unknown, feedOwner: string): string | null {
  if (typeof r !== 'object' || r === null) return 'error.notEvent';
  const e = r as Partial<EconomicEvent>;
  if (e.type !== 'event' || typeof e.id !== 'string' || typeof e.hasPointInTime !== 'number') return 'error.notEvent';
  if (e.author !== feedOwner) return 'error.wrongAuthor';
  if (e.provider !== e.author && e.receiver !== e.author) return 'error.notParty';
  return verifyRecord(e) ? null : 'error.badSignature';
}

/**
 * Takes back a hand-over marked by mistake (VF `corrects`): a new event by the same author, so the
 * mistaken one stays in the feed and nothing is lost; readers stop counting the corrected event.
 */
export function correctHandOver(me: Identity, mistaken: EconomicEvent, now: number): EconomicEvent {
  if (mistaken.author !== me.agentId) throw new RangeError('only its author can take back a hand-over');
  const { sig: _s, id: _i, fulfills: _f, satisfies: _sat, ...rest } = mistaken;
  const e: Unsigned<EconomicEvent> = { ...rest, id: randomId(randomBytes), corrects: mistaken.id, note: '', hasPointInTime: Math.max(now, mistaken.hasPointInTime + 1) };
  return signRecord<EconomicEvent>(e, me.signSecretKey);
}

/** The hand-overs that still count: those no later event of the same author corrects. */
export function standingEvents(events: readonly EconomicEvent[]): EconomicEvent[] {
  const corrected = new Set(events.filter((e) => e.corrects).map((e) => `${e.author}/${e.corrects}`));
  return events.filter((e) => !e.corrects && !corrected.has(`${e.author}/${e.id}`));
}
