import type { DocHandle, DocumentId } from '@automerge/automerge-repo';
import { validMember } from '../src/core/model/community.ts';
import type { CommunityDoc } from '../src/core/model/types.ts';
import { docId, type Communities } from './communities.ts';
import type { RelayRepo } from './repo.ts';
import type { ServedView } from './session-gate.ts';
import type { DocDirectory } from './sync-access.ts';

/** Answers remembered per community doc state; beyond it keys are checked every time. */
const MAX_CHECKED_KEYS = 10_000;

/**
 * Who may sync what, as the communities served say it: a doc belongs to a community when it is the
 * community doc or one the community lists (a member's feed, the sanctuary doc); a key is a member when
 * the community doc has a valid (self-signed) member entry for it. Bound late: the relay's repo, which
 * needs this, exists before the communities do.
 */
export class CommunityDirectory implements DocDirectory, ServedView {
  private communities?: Communities;
  private rr?: RelayRepo;
  /**
   * Member checks already made against one state of a community doc. Checking means verifying two
   * signatures, and sync access asks on every message a phone sends; an automerge doc is a new object
   * after every change, so keying by it forgets the answers exactly when membership may have changed.
   */
  private readonly checked = new WeakMap<object, Map<string, boolean>>();

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

  isMember(communityDocId: string, key: string): boolean {
    const h = this.rr?.repo.handles[communityDocId as DocumentId] as DocHandle<CommunityDoc> | undefined;
    if (!h?.isReady()) return false;
    const doc = h.doc();
    if (!doc) return false;
    let known = this.checked.get(doc);
    if (!known) this.checked.set(doc, (known = new Map()));
    let ok = known.get(key);
    if (ok === undefined) {
      const m = doc.members?.[key];
      ok = m !== undefined && validMember(key, m);
      // Bounded: only keys that hold a session ask, and a fresh doc state starts a fresh map.
      if (known.size < MAX_CHECKED_KEYS) known.set(key, ok);
    }
    return ok;
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
    return Object.entries(h.doc()?.members ?? {}).some(([id, m]) => validMember(id, m));
  }
}
