/**
 * The operator's `--join-policy`, which with each community's signed "Who can join" setting (`openJoin`,
 * core/model/community-settings.ts) decides whether a newcomer without an invite gets a session:
 * - `community` (the default): the community's organisers decide. Invite-only until an organiser signs
 *   `openJoin: true`; then any key on the hub's network joins as a newcomer (the same quotas as one with
 *   an invite). The operator cannot open a community its organisers keep invite-only.
 * - `invite`: this hub always asks for an invite (or membership), whatever the organisers chose: an
 *   operator may keep their hub closed (a hub in a public place, a hub whose operator is at risk).
 * - `open`: anyone on the network, the community's setting and the first-organiser invite aside. The
 *   value as it always was (test and demo islands run on it); it gives strangers nothing the operator
 *   could not hand them anyway, since the relay's data dir holds every doc (THREAT-MODEL adversary 5).
 * A community nobody has joined is never open by its setting: its first member still needs the relay's
 * first-organiser invite (first-organiser.ts).
 */
export const JOIN_POLICIES = ['community', 'invite', 'open'] as const;
export type JoinPolicy = (typeof JOIN_POLICIES)[number];

/** What the policy needs to know of a served community. */
export interface OpenJoinView {
  /** Whether the community's signed settings say open join (its founding record's value never counts). */
  signedOpenJoin(communityDocId: string): boolean;
  /** Whether anyone has joined it yet (until then only the first-organiser invite admits). */
  hasMembers(communityDocId: string): boolean;
}

/** Whether this hub admits a newcomer without an invite to a community, as the operator and its organisers allow. */
export class JoinDoor {
  constructor(
    readonly policy: JoinPolicy,
    private readonly served: OpenJoinView,
  ) {}

  openToNewcomers(communityDocId: string): boolean {
    if (this.policy === 'open') return true;
    if (this.policy === 'invite') return false;
    return this.served.signedOpenJoin(communityDocId) && this.served.hasMembers(communityDocId);
  }
}
