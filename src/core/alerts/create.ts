import { randomId } from '../crypto/encoding.ts';
import { randomBytes, type Identity } from '../crypto/keys.ts';
import { signRecord } from '../crypto/sign.ts';
import { AlertInputError } from './errors.ts';
import { ALERT_AREA_MAX, ALERT_LIFETIME_MS, ALERT_TEXT_MAX, textLength } from './rules.ts';
import { ALERT_KINDS, FOLLOW_UP_ACTS, URGENCIES, type Alert, type AlertFollowUp, type AlertKind, type FollowUpAct, type Urgency } from './types.ts';

export type Random = (n: number) => Uint8Array;

export interface AlertInput {
  kind: AlertKind;
  urgency: Urgency;
  area: string;
  text: string;
  /** Defaults to created + ALERT_LIFETIME_MS[urgency]; may be sooner, never later. */
  expires?: number;
}

/** A signed alert. Throws AlertInputError on invalid input. Whether I may raise it is can(…, 'raise-alert'). */
export function createAlert(me: Identity, input: AlertInput, now: number, random: Random = randomBytes): Alert {
  if (!ALERT_KINDS.includes(input.kind)) throw new AlertInputError('bad-kind', `unknown kind ${String(input.kind)}`);
  if (!URGENCIES.includes(input.urgency)) throw new AlertInputError('bad-urgency', `unknown urgency ${String(input.urgency)}`);
  const area = typeof input.area === 'string' ? input.area.trim() : '';
  if (area === '' || area.length > ALERT_AREA_MAX) throw new AlertInputError('bad-area', 'area must be a coarse area id');
  const text = typeof input.text === 'string' ? input.text.trim() : '';
  if (text === '') throw new AlertInputError('bad-text', 'alert text is empty');
  if (textLength(text) > ALERT_TEXT_MAX) throw new AlertInputError('text-too-long', `alert text over ${ALERT_TEXT_MAX} characters`);
  const latest = now + ALERT_LIFETIME_MS[input.urgency];
  const expires = input.expires ?? latest;
  if (!Number.isSafeInteger(expires) || expires <= now || expires > latest) throw new AlertInputError('bad-expiry', 'expiry must be after now and within the lifetime of its urgency');
  return signRecord<Alert>(
    { type: 'alert', id: randomId(random), author: me.agentId, kind: input.kind, urgency: input.urgency, area, text, created: now, expires },
    me.signSecretKey,
  );
}

/** A signed follow-up to an alert (confirmation, response, resolve/cancel, retraction). */
export function createFollowUp(me: Identity, alertId: string, act: FollowUpAct, now: number, random: Random = randomBytes): AlertFollowUp {
  if (!FOLLOW_UP_ACTS.includes(act)) throw new AlertInputError('bad-act', `unknown act ${String(act)}`);
  return signRecord<AlertFollowUp>({ type: 'alert-follow-up', id: randomId(random), author: me.agentId, alert: alertId, act, created: now }, me.signSecretKey);
}
