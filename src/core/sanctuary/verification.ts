import { randomId } from '../crypto/encoding.ts';
import { randomBytes, type Identity } from '../crypto/keys.ts';
import { signRecord, verifyRecord } from '../crypto/sign.ts';
import { can, type TrustContext } from '../trust/can.ts';
import type { Random } from './key.ts';
import { asObject, isId, isTime } from '../audience/shape.ts';
import type { Rejection, SanctuaryVerification } from './types.ts';

const DAY = 24 * 60 * 60 * 1000;
/** A verification counts towards "verified" for this long after the visit. */
export const VERIFICATION_WINDOW_MS = 90 * DAY;
/** Distinct stewards whose visits within the window make an entry verified. */
export const REQUIRED_VERIFIERS = 2;
/** Default community check-in period: an entry not visited for longer is flagged `check-in-due`. */
export const DEFAULT_CHECK_IN_PERIOD_MS = 30 * DAY;
/** Clocks on phones drift; a visit dated further ahead than this is not yet believed. */
export const CLOCK_SKEW_MS = 5 * 60 * 1000;

export type VerificationRejection = 'malformed' | 'forged-signature' | 'author-not-steward' | 'future';

/** A steward's record that they checked entry `entryId` in person at time `at`. */
export function createVerification(steward: Identity, entryId: string, at: number, random: Random = randomBytes): SanctuaryVerification {
  return signRecord<SanctuaryVerification>({ type: 'sanctuary-verification', id: randomId(random), author: steward.agentId, entry: entryId, at }, steward.signSecretKey);
}

function isVerificationShape(v: unknown): v is SanctuaryVerification {
  const o = asObject(v);
  return !!o && o.type === 'sanctuary-verification' && isId(o.id) && isId(o.entry) && typeof o.author === 'string' && isTime(o.at) && typeof o.sig === 'string';
}

/** Verifications that are signed by a steward in the reader's view and not dated in the future. */
export function checkVerifications(
  records: Iterable<unknown>,
  ctx: TrustContext,
  now: number,
  verify: (r: unknown) => boolean = verifyRecord,
): { valid: SanctuaryVerification[]; rejected: Rejection<VerificationRejection>[] } {
  const valid: SanctuaryVerification[] = [];
  const rejected: Rejection<VerificationRejection>[] = [];
  for (const r of records) {
    const reason = !isVerificationShape(r)
      ? 'malformed'
      : !verify(r)
        ? 'forged-signature'
        : !can(ctx, r.author, 'steward').allowed
          ? 'author-not-steward'
          : r.at > now + CLOCK_SKEW_MS
            ? 'future'
            : null;
    if (reason) rejected.push({ id: typeof (r as { id?: unknown })?.id === 'string' ? (r as { id: string }).id : '?', reason });
    else valid.push(r as SanctuaryVerification);
  }
  const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  return { valid: valid.sort(byId), rejected: rejected.sort(byId) };
}

/** True when the last in-person check is older than the check-in period, or there was none. */
export function checkInDue(lastCheckIn: number | null, now: number, periodMs: number = DEFAULT_CHECK_IN_PERIOD_MS): boolean {
  return lastCheckIn === null || now - lastCheckIn > periodMs;
}
