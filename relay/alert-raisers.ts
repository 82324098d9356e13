import type { DocHandle } from '@automerge/automerge-repo';
import { carriedAlert, earnsEmergency } from '../src/core/alerts/emergency.ts';
import { communityContext, type CommunityTrust } from '../src/core/audience/entitlement.ts';
import type { Bundle } from '../src/core/dtn/index.ts';
import { validMember } from '../src/core/model/community.ts';
import type { CommunityView } from '../src/core/model/read-community.ts';
import type { FeedDoc } from '../src/core/model/types.ts';
import { communityOfAlerts } from '../src/core/protocol/endpoints.ts';
import { can, type Action } from '../src/core/trust/can.ts';
import { collectVouches } from '../src/core/trust/vouch.ts';
import { docId, type Communities } from './communities.ts';
import type { RelayRepo } from './repo.ts';

/** Vouches expire: a community's trust is worked out again at least this often, changed or not. */
const MAX_AGE_MS = 5 * 60e3;

/**
 * Who may raise (or answer) a community's alerts, as this relay can tell: the community's shared view
 * (communityContext over the vouches in its members' feeds, anchored at the signed stewards who are
 * members), the view every phone's sanctuary and members' key use — never one phone's own. It decides
 * whether an alert bundle a neighbour hands over is kept at emergency priority (received-policy.ts).
 * A community this relay does not serve, or whose doc (or the author's entry) has not arrived, cannot be
 * judged here: its real, signed alerts are carried ahead of change-sets but below judged emergencies
 * (`unjudged`), and the relays that serve it judge them.
 */
export class AlertRaisers {
  private readonly trust = new Map<string, { trust: CommunityTrust; at: number }>();

  constructor(
    private readonly communities: Communities,
    private readonly rr: RelayRepo,
    private readonly clock: () => number = Date.now,
  ) {
    // A member joined, a steward changed, a vouch was made or revoked: work the community out again.
    communities.on('view', () => this.trust.clear());
    rr.onChange((id) => {
      const community = communities.communityOfDoc(id);
      if (community !== undefined) this.trust.delete(community);
    });
  }

  /** Whether `b` is an alert bundle whose record earns emergency priority here (core/alerts/emergency.ts). */
  earnsEmergency(b: Bundle): boolean {
    const community = communityOfAlerts(b.primary.destination);
    if (community === undefined) return false;
    return earnsEmergency(b.payload.data, this.clock(), (author, action) => this.allows(community, author, action));
  }

  /**
   * A real, signed, current alert (or follow-up) whose author this relay cannot judge: it does not serve the
   * community, or the author's member entry has not arrived (alerts travel ahead of change-sets, so an
   * island often gets the alert before the entry of the member who raised it). Such an alert is carried
   * ahead of change-sets, below the emergencies judged here (received-policy.ts).
   */
  unjudged(b: Bundle): boolean {
    const community = communityOfAlerts(b.primary.destination);
    if (community === undefined) return false;
    const carried = carriedAlert(b.payload.data, this.clock());
    if (!carried) return false;
    const view = this.viewOf(community);
    return !view || !validMember(carried.author, view.members[carried.author]);
  }

  /** Whether `author`, a member of `community` served here, passes the community's gate for `action`. */
  allows(community: string, author: string, action: Action): boolean {
    const view = this.viewOf(community);
    if (!view) return false;
    if (!validMember(author, view.members[author]) || view.settings.removed?.[author] !== undefined) return false;
    return can(this.trustOf(view), author, action).allowed;
  }

  /** The community's view if this relay serves it and its doc has arrived (what both judgements start from). */
  private viewOf(community: string): CommunityView | undefined {
    const view = community === '' ? undefined : this.communities.view(community);
    return view?.id === community ? view : undefined;
  }

  private trustOf(view: CommunityView): CommunityTrust {
    const now = this.clock();
    const cached = this.trust.get(view.id);
    if (cached && now - cached.at < MAX_AGE_MS) return cached.trust;
    // The stewards who are members anchor it, as on phones (client/members-key.ts keyIssuers).
    const anchors = view.stewards.filter((id) => validMember(id, view.members[id]));
    const vouches = collectVouches(this.feedsOf(view), now).valid;
    const trust = communityContext(vouches, anchors, view.settings.thresholds, 'steward', undefined, view.settings.removed);
    this.trust.set(view.id, { trust, at: now });
    return trust;
  }

  /** The members' feeds held here, each read as its member's (the entry names the feed, not the doc's own claim). */
  private feedsOf(view: CommunityView): FeedDoc[] {
    const feeds: FeedDoc[] = [];
    for (const [agentId, m] of Object.entries(view.members)) {
      const h = this.rr.repo.handles[docId(m.feedUrl) as never] as DocHandle<FeedDoc> | undefined;
      const doc = h?.isReady() ? h.doc() : undefined;
      if (doc?.type === 'feed') feeds.push({ ...doc, owner: agentId });
    }
    return feeds;
  }
}
