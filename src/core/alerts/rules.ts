import type { Urgency } from './types.ts';

const MINUTE = 60 * 1000;
const HOUR = 60 * MINUTE;

export const ALERT_TEXT_MAX = 280;
export const ALERT_AREA_MAX = 64;

/** Default (and longest allowed) lifetime by urgency: an alert is for now, not for the archive. */
export const ALERT_LIFETIME_MS: Readonly<Record<Urgency, number>> = { critical: 6 * HOUR, urgent: 24 * HOUR, watch: 48 * HOUR };

/** A critical alert nobody else confirms within this time is shown as 'watch'. */
export const CONFIRM_WINDOW_MS = 5 * MINUTE;

/** Rate limits per author: at most this many alerts in any rolling hour … */
export const MAX_ALERTS_PER_HOUR = 3;
export const RATE_WINDOW_MS = HOUR;
/** … and at most one critical alert in any 10 minutes. */
export const CRITICAL_INTERVAL_MS = 10 * MINUTE;

/** Phone clocks drift: a record dated further ahead than this is not believed yet. */
export const CLOCK_SKEW_MS = 2 * MINUTE;

/** Code points, so an emoji counts as one character. */
export function textLength(s: string): number {
  return [...s].length;
}
