import { verifyRecord } from '../crypto/sign.ts';
import { can, type TrustContext } from '../trust/can.ts';
import { CLOCK_SKEW_MS, CONFIRM_WINDOW_MS } from './rules.ts';
import { cmp, idOf, isFollowUpShape } from './shape.ts';
import type { Alert, AlertFollowUp, AlertStatus, Ignored, Urgency } from './types.ts';

export type FollowUpRejection =
  | 'malformed'
  | 'forged-signature'
  | 'from-future'
  | 'before-alert'
  | 'after-expiry'
  | 'self-confirm'
  | 'below-trust-gate'
  | 'not-raiser'
  | 'not-steward';

export interface AlertState {
  effectiveUrgency: Urgency;
  /** Critical, not yet confirmed, and still inside the 5-minute window. */
  awaitingConfirmation: boolean;
  status: AlertStatus;
  /** When it was resolved, cancelled or retracted; null otherwise. */
  closedAt: number | null;
  /** By latest answer per person, each list ordered by when they answered. */
  responders: { coming: string[]; cant: string[] };
  /** Trusted members other than the raiser who confirmed it, sorted. */
  confirmedBy: string[];
  ignored: Ignored<FollowUpRejection>[];
}

/**
 * The state of an alert accepted by acceptAlerts, from its follow-ups (any alert's follow-ups may be
 * passed; others are skipped). Follow-ups by members below the gate are ignored with a reason.
 */
export function alertState(
  alert: Alert,
  followUps: Iterable<unknown>,
  now: number,
  trust: TrustContext,
  verify: (r: unknown) => boolean = verifyRecord,
): AlertState {
  const valid: AlertFollowUp[] = [];
  const ignored: Ignored<FollowUpRejection>[] = [];
  for (const f of followUps) {
    if (isFollowUpShape(f) && f.alert !== alert.id) continue;
    const reason = problemOf(alert, f, now, trust, verify);
    if (reason) ignored.push({ id: idOf(f), reason });
    else valid.push(f as AlertFollowUp);
  }
  valid.sort((a, b) => a.created - b.created || cmp(a.id, b.id));
  const confirms = valid.filter((f) => f.act === 'confirm');
  const confirmedInTime = confirms.some((f) => f.created <= alert.created + CONFIRM_WINDOW_MS);
  const awaiting = alert.urgency === 'critical' && !confirmedInTime && now < alert.created + CONFIRM_WINDOW_MS;
  const downgraded = alert.urgency === 'critical' && !confirmedInTime && !awaiting;
  const { status, closedAt } = statusOf(alert, valid, now);
  return {
    effectiveUrgency: downgraded ? 'watch' : alert.urgency,
    awaitingConfirmation: awaiting,
    status,
    closedAt,
    responders: respondersOf(valid),
    confirmedBy: [...new Set(confirms.map((f) => f.author))].sort(),
    ignored: ignored.sort((a, b) => cmp(a.id, b.id)),
  };
}

function problemOf(alert: Alert, f: unknown, now: number, trust: TrustContext, verify: (r: unknown) => boolean): FollowUpRejection | null {
  if (!isFollowUpShape(f)) return 'malformed';
  if (!verify(f)) return 'forged-signature';
  if (f.created > now + CLOCK_SKEW_MS) return 'from-future';
  if (f.created < alert.created) return 'before-alert';
  if (f.created >= alert.expires) return 'after-expiry';
  switch (f.act) {
    case 'confirm':
      if (f.author === alert.author) return 'self-confirm';
      return can(trust, f.author, 'raise-alert').allowed ? null : 'below-trust-gate';
    case 'on-my-way':
    case 'cant':
      return can(trust, f.author, 'see-alerts').allowed ? null : 'below-trust-gate';
    case 'resolve':
    case 'cancel':
      return f.author === alert.author ? null : 'not-raiser';
    case 'retract':
      return can(trust, f.author, 'steward').allowed ? null : 'not-steward';
  }
}

/** A steward's retraction overrides everything; otherwise the raiser's first resolve or cancel. */
function statusOf(alert: Alert, valid: readonly AlertFollowUp[], now: number): { status: AlertStatus; closedAt: number | null } {
  const retract = valid.find((f) => f.act === 'retract');
  if (retract) return { status: 'retracted', closedAt: retract.created };
  const close = valid.find((f) => f.act === 'resolve' || f.act === 'cancel');
  if (close) return { status: close.act === 'resolve' ? 'resolved' : 'cancelled', closedAt: close.created };
  return { status: now >= alert.expires ? 'expired' : 'active', closedAt: null };
}

function respondersOf(valid: readonly AlertFollowUp[]): AlertState['responders'] {
  const latest = new Map<string, AlertFollowUp>();
  for (const f of valid) if (f.act === 'on-my-way' || f.act === 'cant') latest.set(f.author, f);
  const answers = [...latest.values()].sort((a, b) => a.created - b.created || cmp(a.author, b.author));
  return { coming: answers.filter((f) => f.act === 'on-my-way').map((f) => f.author), cant: answers.filter((f) => f.act === 'cant').map((f) => f.author) };
}
