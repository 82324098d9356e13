import type { TrustContext } from '../trust/can.ts';
import { acceptAlerts, type AlertRejection } from './accept.ts';
import { cmp, idOf, isFollowUpShape } from './shape.ts';
import { alertState, type AlertState, type FollowUpRejection } from './state.ts';
import { URGENCIES, type Alert, type Ignored } from './types.ts';

export interface ShownAlert {
  alert: Alert;
  state: AlertState;
}

/**
 * What the alerts screen shows: accepted, unexpired alerts that are active or resolved (retracted and
 * cancelled ones disappear), active first, then by effective urgency, newest first. The caller checks
 * can(ctx, me, 'see-alerts') before showing anything.
 */
export function alertBoard(
  records: Iterable<unknown>,
  followUps: Iterable<unknown>,
  now: number,
  trust: TrustContext,
  verify?: (r: unknown) => boolean,
): { shown: ShownAlert[]; ignored: Ignored<AlertRejection | FollowUpRejection>[] } {
  const { alerts, ignored } = acceptAlerts(records, now, trust, verify);
  const all: Ignored<AlertRejection | FollowUpRejection>[] = [...ignored];
  // Grouped by alert so each follow-up is checked once, and junk is reported once, not per alert.
  const byAlert = new Map<string, unknown[]>();
  for (const f of followUps) {
    if (isFollowUpShape(f)) {
      const list = byAlert.get(f.alert);
      if (list) list.push(f);
      else byAlert.set(f.alert, [f]);
    } else all.push({ id: idOf(f), reason: 'malformed' });
  }
  const shown: ShownAlert[] = [];
  for (const alert of alerts) {
    if (now >= alert.expires) continue;
    const state = alertState(alert, byAlert.get(alert.id) ?? [], now, trust, verify);
    all.push(...state.ignored);
    if (state.status === 'active' || state.status === 'resolved') shown.push({ alert, state });
  }
  shown.sort(
    (a, b) =>
      Number(b.state.status === 'active') - Number(a.state.status === 'active') ||
      URGENCIES.indexOf(a.state.effectiveUrgency) - URGENCIES.indexOf(b.state.effectiveUrgency) ||
      b.alert.created - a.alert.created ||
      cmp(a.alert.id, b.alert.id),
  );
  return { shown, ignored: all };
}
