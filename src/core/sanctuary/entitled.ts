import { validMember } from '../model/community.ts';
import type { MemberEntry, Profile } from '../model/types.ts';
import { can, type TrustContext } from '../trust/can.ts';

/**
 * Signed profiles of the members who should hold the sanctuary key, judged by the issuing steward's
 * own scores: valid member entries for whom can(…, 'see-sanctuary') holds. Sorted by agent id.
 */
export function entitledMembers(
  members: Record<string, MemberEntry>,
  scoresOfIssuer: TrustContext['scores'],
  ctx: Omit<TrustContext, 'scores'>,
): Profile[] {
  const gate: TrustContext = { ...ctx, scores: scoresOfIssuer };
  return Object.keys(members)
    .sort()
    .filter((id) => validMember(id, members[id]) && can(gate, id, 'see-sanctuary').allowed)
    .map((id) => members[id].profile);
}
