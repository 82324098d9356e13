import { validMember } from '../model/community.ts';
import type { MemberEntry, Profile } from '../model/types.ts';
import { can, type TrustContext } from '../trust/can.ts';

/**
 * Signed profiles of the members who should hold the sanctuary key: valid member entries for whom
 * can(…, 'see-sanctuary') holds, sorted by agent id. `scores` must be the community's shared scores
 * (communityContext(…).scores): with each steward's own view (80 % on one phone, 64 % on another)
 * stewards disagreed on who is entitled, and one added keys while another rotated, in a storm.
 */
export function entitledMembers(members: Record<string, MemberEntry>, scores: TrustContext['scores'], ctx: Omit<TrustContext, 'scores'>): Profile[] {
  const gate: TrustContext = { ...ctx, scores };
  return Object.keys(members)
    .sort()
    .filter((id) => validMember(id, members[id]) && can(gate, id, 'see-sanctuary').allowed)
    .map((id) => members[id].profile);
}
