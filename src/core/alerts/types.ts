import type { Signed } from '../crypto/sign.ts';

export const ALERT_KINDS = ['raid', 'medical', 'eviction', 'fire', 'other'] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

/** Highest first. */
export const URGENCIES = ['critical', 'urgent', 'watch'] as const;
export type Urgency = (typeof URGENCIES)[number];

/** A rapid-response alert: short, coarse-area, short-lived. */
export interface Alert extends Signed {
  type: 'alert';
  id: string;
  kind: AlertKind;
  urgency: Urgency;
  /** Coarse area id (never an address). */
  area: string;
  /** At most 280 characters (code points). */
  text: string;
  created: number;
  expires: number;
}

export const FOLLOW_UP_ACTS = ['confirm', 'on-my-way', 'cant', 'resolve', 'cancel', 'retract'] as const;
/**
 * confirm: a second trusted member vouches the alert is real; on-my-way / cant: a responder's answer
 * (the latest per person counts); resolve / cancel: by the raiser; retract: by a steward.
 */
export type FollowUpAct = (typeof FOLLOW_UP_ACTS)[number];

export interface AlertFollowUp extends Signed {
  type: 'alert-follow-up';
  id: string;
  /** Id of the alert it answers. */
  alert: string;
  act: FollowUpAct;
  created: number;
}

export type AlertStatus = 'active' | 'resolved' | 'cancelled' | 'retracted' | 'expired';

/** A record a reader ignored, and why (stable codes, also i18n key suffixes). */
export interface Ignored<R extends string = string> {
  id: string;
  reason: R;
}
