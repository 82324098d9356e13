import { validMember } from '../core/model/community.ts';
import { plainScalars } from '../core/model/scalar-strings.ts';
import type { CommunityDoc, Profile } from '../core/model/types.ts';

/**
 * The signed profile of anyone with a valid member entry in the community doc, removed or not: key
 * envelopes are opened with their issuer's box key, and an organiser removed since still boxed keys
 * that members read old posts and entries with (the shared view leaves removed members out).
 */
export function signedProfile(community: CommunityDoc, id: string): Profile | undefined {
  const m = plainScalars(community.members?.[id]);
  return validMember(id, m) ? m.profile : undefined;
}
