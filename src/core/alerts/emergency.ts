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
  if (payload.length > MAX_CARRIED_ALERT_BYTES) return false;
  let record: unknown;
  try {
    record = JSON.parse(utf8.decode(payload));
  } catch {
    return false;
  }
  if (!isCarriedShape(record)) return false;
  // A follow-up carries no expiry of its own: its bundle dies with its alert (followUpBundleMeta).
  if (record.type === 'sealed-alert' && !shouldForward(record, now)) return false;
  if (!verify(record)) return false;
  return allowed(record.author, record.type === 'sealed-alert' ? 'raise-alert' : 'see-alerts');
}
