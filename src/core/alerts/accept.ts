import { verifyRecord } from '../crypto/sign.ts';
import { can, type TrustContext } from '../trust/can.ts';
import { ALERT_LIFETIME_MS, CLOCK_SKEW_MS, CRITICAL_INTERVAL_MS, MAX_ALERTS_PER_HOUR, RATE_WINDOW_MS } from './rules.ts';
import { cmp, idOf, isAlertShape } from './shape.ts';
import type { Alert, Ignored } from './types.ts';

export type AlertRejection = 'malformed' | 'forged-signature' | 'below-trust-gate' | 'bad-expiry' | 'from-future' | 'duplicate-id' | 'rate-limited';

/**
 * The alerts this reader accepts (expired ones included, so that state and rate limits are the same
 * on every replica; alertBoard hides them). Order of checks: shape, signature, trust gate
 * (can(…, 'raise-alert') in the reader's view), expiry within the urgency's lifetime, not dated in
 * the future, one record per id, then the per-author rate limits in order of creation.
 */
export function acceptAlerts(
  records: Iterable<unknown>,
  now: number,
  trust: TrustContext,
  verify: (r: unknown) => boolean = verifyRecord,
): { alerts: Alert[]; ignored: Ignored<AlertRejection>[] } {
  const ignored: Ignored<AlertRejection>[] = [];
  const candidates: Alert[] = [];
  for (const r of records) {
    const reason = problemOf(r, now, trust, verify);
    if (reason) ignored.push({ id: idOf(r), reason });
    else candidates.push(r as Alert);
  }
  candidates.sort((a, b) => a.created - b.created || cmp(a.id, b.id) || cmp(a.sig, b.sig));
  const accepted: Alert[] = [];
  const seen = new Map<string, string>();
  for (const a of candidates) {
    const prevSig = seen.get(a.id);
    if (prevSig !== undefined) {
      if (prevSig !== a.sig) ignored.push({ id: a.id, reason: 'duplicate-id' });
      continue;
    }
    seen.set(a.id, a.sig);
    if (rateLimited(a, accepted)) ignored.push({ id: a.id, reason: 'rate-limited' });
    else accepted.push(a);
  }
  return { alerts: accepted, ignored: ignored.sort((a, b) => cmp(a.id, b.id) || cmp(a.reason, b.reason)) };
}

function problemOf(r: unknown, now: number, trust: TrustContext, verify: (r: unknown) => boolean): AlertRejection | null {
  if (!isAlertShape(r)) return 'malformed';
  if (!verify(r)) return 'forged-signature';
  if (!can(trust, r.author, 'raise-alert').allowed) return 'below-trust-gate';
  if (r.expires <= r.created || r.expires > r.created + ALERT_LIFETIME_MS[r.urgency]) return 'bad-expiry';
  if (r.created > now + CLOCK_SKEW_MS) return 'from-future';
  return null;
}

/** Against the author's alerts accepted so far (all created no later than `a`). */
function rateLimited(a: Alert, accepted: readonly Alert[]): boolean {
  const mine = accepted.filter((x) => x.author === a.author);
  const lastHour = mine.filter((x) => a.created - x.created < RATE_WINDOW_MS);
  if (lastHour.length >= MAX_ALERTS_PER_HOUR) return true;
  return a.urgency === 'critical' && mine.some((x) => x.urgency === 'critical' && a.created - x.created < CRITICAL_INTERVAL_MS);
}
