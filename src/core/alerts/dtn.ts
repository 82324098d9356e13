import { Audience } from '../protocol/audience.ts';
import { PAYLOAD_PRIORITY } from '../protocol/priority.ts';
import { CLOCK_SKEW_MS } from './rules.ts';
import { isSealedAlertShape, isSealedFollowUpShape } from './sealed.ts';
import { isAlertShape, isFollowUpShape } from './shape.ts';

/** What carrying needs of an alert: the same fields on an alert and on its sealed form. */
type Timed = { id: string; created: number; expires: number };

/** Alerts are the highest-priority bundles, sent first on every contact. */
export const ALERT_PRIORITY = PAYLOAD_PRIORITY.alert;
/** Only members at the alert tier read them; relays carry them without showing them. */
export const ALERT_AUDIENCE = Audience.Trusted;

export interface AlertBundleMeta {
  priority: typeof ALERT_PRIORITY;
  /** Time left until the alert expires: the bundle dies with the alert. */
  lifetimeMs: number;
  audience: typeof ALERT_AUDIENCE;
}

/** Group endpoint the alerts of a community travel to (ARCHITECTURE §6). */
export { alertEndpoint } from '../protocol/endpoints.ts';

/**
 * Whether a relay or phone should pass this alert on: well-formed, not expired and not dated in the
 * future. Expired alerts are never forwarded. (Signature and trust are checked by readers.)
 */
export function shouldForward(alert: unknown, now: number): boolean {
  return (isAlertShape(alert) || isSealedAlertShape(alert)) && now < alert.expires && alert.created <= now + CLOCK_SKEW_MS;
}

/** Bundle options for an alert, or null when it must not be forwarded. */
export function alertBundleMeta(alert: Timed, now: number): AlertBundleMeta | null {
  if (!shouldForward(alert, now)) return null;
  return { priority: ALERT_PRIORITY, lifetimeMs: alert.expires - now, audience: ALERT_AUDIENCE };
}

/** A follow-up travels like its alert and dies with it. */
export function followUpBundleMeta(followUp: unknown, alert: Timed, now: number): AlertBundleMeta | null {
  if (!(isFollowUpShape(followUp) || isSealedFollowUpShape(followUp)) || followUp.alert !== alert.id) return null;
  return alertBundleMeta(alert, now);
}
