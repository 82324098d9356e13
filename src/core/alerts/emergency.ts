import { utf8 } from '../crypto/encoding.ts';
import { verifyRecord } from '../crypto/sign.ts';
import type { Action } from '../trust/can.ts';
import { shouldForward } from './dtn.ts';
import { isCarriedShape } from './sealed.ts';

/** A sealed alert fills a 2 KiB box (about 2.8 KB in base64url): anything much larger is not one, and is not parsed. */
export const MAX_CARRIED_ALERT_BYTES = 4096;

/**
 * Whether a carried alert bundle earns emergency priority on a relay that did not make it. The priority
 * a neighbour declares is worth nothing (anyone can mark junk "emergency"), so the relay looks at the
 * record itself: a sealed alert or follow-up whose outer signature holds (the author key is outside the
 * box, so no key is needed to check it), an alert neither expired nor dated in the future, and an author
 * the community's own gate lets do this: raise an alert, or answer one (who may see alerts may answer).
 * Who is allowed is the caller's judgement (`allowed`), from shared, signed community data; a relay that
 * cannot judge (it does not serve the community, or its doc has not arrived) answers false.
 */
export function earnsEmergency(
  payload: Uint8Array,
  now: number,
  allowed: (author: string, action: Extract<Action, 'raise-alert' | 'see-alerts'>) => boolean,
  verify: (r: unknown) => boolean = verifyRecord,
): boolean {
  const carried = carriedAlert(payload, now, verify);
  return carried !== undefined && allowed(carried.author, carried.action);
}

/** What earnsEmergency asks the gate about. */
export interface CarriedAlert {
  author: string;
  action: Extract<Action, 'raise-alert' | 'see-alerts'>;
}

/**
 * The author and the gate's action of a carried alert or follow-up whose shape, expiry and outer signature
 * hold, or undefined: the part of earnsEmergency that needs no community data. A relay that cannot judge
 * the author yet (it does not serve the community, or the author's entry has not arrived) still knows
 * from this that the record is a real, signed, current alert by someone (relay/alert-raisers.ts).
 */
export function carriedAlert(payload: Uint8Array, now: number, verify: (r: unknown) => boolean = verifyRecord): CarriedAlert | undefined {
  if (payload.length > MAX_CARRIED_ALERT_BYTES) return undefined;
  let record: unknown;
  try {
    record = JSON.parse(utf8.decode(payload));
  } catch {
    return undefined;
  }
  if (!isCarriedShape(record)) return undefined;
  // A follow-up carries no expiry of its own: its bundle dies with its alert (followUpBundleMeta).
  if (record.type === 'sealed-alert' && !shouldForward(record, now)) return undefined;
  if (!verify(record)) return undefined;
  return { author: record.author, action: record.type === 'sealed-alert' ? 'raise-alert' : 'see-alerts' };
}
