import type { MemberEntry } from '../model/types.ts';
import { entitlement, type CommunityTrust } from './entitlement.ts';
import { holdings, kidsOf, type IsIssuer } from './keyring.ts';
import type { SealedAudience, Keyring } from './types.ts';

/**
 * Why a member can or cannot read an audience, in words the UI can show (i18n key `audience.access.<code>`):
 * - `ok`: holds every key in use;
 * - `not-a-member`: no valid member entry in this community;
 * - `needs-vouch` / `needs-trusted` / `needs-steward`: not entitled yet — the community scores them
 *   `score`, the audience needs `threshold` (e.g. "needs one more vouch from a member");
 * - `waiting-for-steward`: entitled, but no steward has sealed the keys to them yet (a steward's phone
 *   does so when it next syncs);
 * - `missing-older-keys`: holds the current key but not every key records were sealed with; a steward's
 *   next envelope brings them.
 */
export type Access =
  | { code: 'ok' }
  | { code: 'not-a-member' | 'needs-vouch' | 'needs-trusted' | 'needs-steward'; score: number; threshold: number }
  | { code: 'waiting-for-steward' | 'missing-older-keys' };

export function accessOf(
  audience: SealedAudience,
  me: string,
  member: MemberEntry | undefined,
  trust: CommunityTrust,
  keyring: Keyring,
  envelopes: Iterable<unknown>,
  isIssuer: IsIssuer,
  verify?: (r: unknown) => boolean,
): Access {
  const e = entitlement(audience, me, member, trust);
  if (!e.entitled) return { code: e.reason, score: e.score, threshold: e.threshold };
  if (keyring.size === 0) return { code: 'waiting-for-steward' };
  const all = new Set<string>();
  for (const kids of holdings(envelopes, audience, isIssuer, verify).values()) for (const k of kids) all.add(k);
  const mine = kidsOf(keyring);
  return [...all].every((k) => mine.has(k)) ? { code: 'ok' } : { code: 'missing-older-keys' };
}


