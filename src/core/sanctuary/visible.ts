import type { TrustContext } from '../trust/can.ts';
import type { DecryptedEntry, Rejection } from './types.ts';
import { checkInDue, checkVerifications, DEFAULT_CHECK_IN_PERIOD_MS, REQUIRED_VERIFIERS, VERIFICATION_WINDOW_MS, type VerificationRejection } from './verification.ts';

export interface VisibleEntry extends DecryptedEntry {
  /** At least two different stewards checked it in person within the last 90 days. */
  verified: boolean;
  /** Stewards with a visit in the window, sorted. The author's writing the entry is not a visit. */
  verifiedBy: string[];
  /** Time of the latest visit by any steward, ever; null if never visited. */
  lastCheckIn: number | null;
  flag: 'check-in-due' | null;
}

export interface VisibilityOptions {
  /** Who counts as a steward: verifications count only from stewards in it. Pass the community's shared context (communityContext) so every phone lists the same verified entries. */
  ctx: TrustContext;
  /** Community check-in period; default 30 days. */
  checkInPeriodMs?: number;
  /** Signature check; pass a memoised one (an ed25519 check in tweetnacl costs milliseconds). */
  verify?: (r: unknown) => boolean;
}

/**
 * What a sanctuary reader sees: unexpired entries with their verification state, sorted by kind,
 * area, title and id so every replica lists them alike. Bad verification records are reported.
 */
export function visibleEntries(
  decrypted: readonly DecryptedEntry[],
  verifications: Iterable<unknown>,
  now: number,
  opts: VisibilityOptions,
): { entries: VisibleEntry[]; rejected: Rejection<VerificationRejection>[] } {
  const { valid, rejected } = checkVerifications(verifications, opts.ctx, now, opts.verify);
  const visits = new Map<string, { author: string; at: number }[]>();
  for (const v of valid) {
    const list = visits.get(v.entry);
    if (list) list.push({ author: v.author, at: v.at });
    else visits.set(v.entry, [{ author: v.author, at: v.at }]);
  }
  const period = opts.checkInPeriodMs ?? DEFAULT_CHECK_IN_PERIOD_MS;
  const entries = decrypted
    .filter((d) => d.entry.expires > now)
    .map((d): VisibleEntry => {
      const mine = visits.get(d.id) ?? [];
      const recent = mine.filter((v) => now - v.at <= VERIFICATION_WINDOW_MS);
      const verifiedBy = [...new Set(recent.map((v) => v.author))].sort();
      const lastCheckIn = mine.reduce<number | null>((m, v) => (m === null || v.at > m ? v.at : m), null);
      return { ...d, verified: verifiedBy.length >= REQUIRED_VERIFIERS, verifiedBy, lastCheckIn, flag: checkInDue(lastCheckIn, now, period) ? 'check-in-due' : null };
    })
    .sort(byListing);
  return { entries, rejected };
}

function byListing(a: DecryptedEntry, b: DecryptedEntry): number {
  return cmp(a.entry.kind, b.entry.kind) || cmp(a.entry.area, b.entry.area) || cmp(a.entry.title, b.entry.title) || cmp(a.id, b.id);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
