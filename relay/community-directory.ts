import type { DocHandle, DocumentId } from '@automerge/automerge-repo';
import { memberEntries, validMember } from '../src/core/model/community.ts';
import { activeInviteHashes } from '../src/core/protocol/invite-secret.ts';
import type { CommunityDoc } from '../src/core/model/types.ts';
import { docId, type Communities } from './communities.ts';
import type { RelayRepo } from './repo.ts';
import type { FirstOrganiser } from './first-organiser.ts';
import type { ServedView } from './session-gate.ts';
import type { DocDirectory } from './sync-access.ts';
import type { OpenJoinView } from './join-policy.ts';

/**
 * Who may sync what, as the communities served say it: a doc belongs to a community when it is the
 * community doc or one the community lists (a member's feed, the sanctuary doc); a key is a member when
 * the community doc has a valid (self-signed) member entry for it and its organisers did not remove it. Bound late: the relay's repo, which
 * needs this, exists before the communities do.
 */
export class CommunityDirectory implements DocDirectory, ServedView, OpenJoinView {
  private communities?: Communities;
  private rr?: RelayRepo;
  /** The relay's first-organiser secret (first-organiser.ts); until it is open, nobody founds anything. */
  firstOrganiser?: FirstOrganiser;

  bind(rr: RelayRepo, communities: Communities): void {
    this.rr = rr;
    this.communities = communities;
  }

  communityDocIds(): string[] {
    return (this.communities?.served ?? []).map((c) => docId(c.url));
  }

  communityDocOf(id: string): string | undefined {
    const served = this.communities?.served ?? [];
    if (served.some((c) => docId(c.url) === id)) return id;
    const community = this.communities?.communityOfDoc(id);
    if (!community) return undefined;
    const c = served.find((s) => s.id === community);
    return c && docId(c.url);
  }

  /**
   * A member is a key with a valid signed entry that the organisers have not removed: what the
   * community's signed records say (Communities' view, recomputed on every change of the doc).
   */
  isMember(communityDocId: string, key: string): boolean {
    const view = this.communities?.view(communityDocId);
    return view !== undefined && Object.hasOwn(view.members, key);
  }

  /** Whether the organisers of this community removed `key`: it gets no session for it, invite or not. */
  isRemoved(communityDocId: string, key: string): boolean {
    return this.communities?.view(communityDocId)?.settings.removed?.[key] !== undefined;
  }

  /** Whether the community's organisers signed "open join" (a founding record's value never counts: read-community.ts). */
  signedOpenJoin(communityDocId: string): boolean {
    return this.communities?.view(communityDocId)?.settings.openJoin === true;
  }

  /** Hashes of the invite links that admit newcomers now; empty: the community URL alone admits. */
  inviteHashes(communityDocId: string, now: number): string[] {
    return activeInviteHashes(this.communities?.view(communityDocId)?.settings.invites, now);
  }

  /**
   * Hash of the invite that admits the first person to join a community with no member yet (the relay's
   * first-organiser secret); undefined once it has one. `null` while it has none and the secret is not
   * open yet: then nobody may found it.
   */
  firstOrganiserHash(communityDocId: string): string | null | undefined {
    if (this.hasMembers(communityDocId)) return undefined;
    return this.firstOrganiser?.hash ?? null;
  }

  /** Whether `key` is a member of any community served here. */
  isMemberAnywhere(key: string): boolean {
    return this.communityDocIds().some((id) => this.isMember(id, key));
  }

  /** Whether `key` is a member of the community whose own id (not doc id) is `communityId`. */
  isMemberOf(communityId: string, key: string): boolean {
    const c = (this.communities?.served ?? []).find((s) => s.id !== '' && s.id === communityId);
    return c !== undefined && this.isMember(docId(c.url), key);
  }

  /** Whether anyone has joined the community yet (until then its URL is how the founder gets in). */
  hasMembers(communityDocId: string): boolean {
    const h = this.rr?.repo.handles[communityDocId as DocumentId] as DocHandle<CommunityDoc> | undefined;
    if (!h?.isReady()) return true; // not here yet: nobody may found it from this relay
    return Object.entries(memberEntries(h.doc())).some(([id, m]) => validMember(id, m));
  }
}
