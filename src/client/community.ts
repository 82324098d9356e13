import type { AutomergeUrl, DocHandle } from '@automerge/automerge-repo/slim';
import { communityRecords, validMember } from '../core/model/community.ts';
import { feedRecords, readFeed, type FeedView } from '../core/model/feed.ts';
import { readCommunity, type CommunityView } from '../core/model/read-community.ts';
import { mergeIntents, openSealedIntents } from '../core/model/sealed-intent.ts';
import { mergeAgreements, openSealedAgreements } from '../core/model/sealed-agreement.ts';
import type { SealedMemo } from '../core/model/sealed-memo.ts';
import { COMMUNITY_MAPS, FEED_MAPS, SEALED_MAP } from '../core/model/restore.ts';
import { SignedHistory } from '../core/sync/signed-history.ts';
import type { CommunityDoc, FeedDoc } from '../core/model/types.ts';
import { DEFAULT_THRESHOLDS } from '../core/model/types.ts';
import { checkThresholds } from '../core/trust/index.ts';
import { decisionState, verifyDecisionRecord, type DecisionRecord } from '../../agents/governance-records.ts';
import { openSealedDecisions } from '../../agents/governance-sealed.ts';
import { noteKey, openVouchNotes, type VouchNote } from '../core/trust/vouch-note.ts';
import { encodeInvite, type InvitePins } from '../core/protocol/invite.ts';
import { retirementDigest } from '../core/model/retirement.ts';
import { activeInviteHashes, inviteSecretHash } from '../core/protocol/invite-secret.ts';
import { missingShares, showableSecrets } from '../core/audience/invite-share.ts';
import type { Profile } from '../core/model/types.ts';
import type { CommunityHost, CommunityState } from './community-state.ts';
import type { PhoneDocs } from './docs.ts';
import { SignaturePrimer } from './signature-primer.ts';
import { FeedPreviews } from './feed-preview.ts';
import { readSignedFeed } from './signed-feed.ts';
import { AuthorRows } from './author-rows.ts';
import { intentRow, type IntentTable } from './local-store.ts';
import type { SealedRows } from './sealed-rows.ts';
import { Store } from './store.ts';
import type { Trust } from './trust.ts';
import type { PhoneVault } from './vault.ts';

/** Vault key of the founder this phone pinned (written at join, or at the first read for older invites). */
export const PINNED_FOUNDER = 'pinnedFounder';
/** Vault key of the digest of the founder's retirement this phone holds to (from the invite, else the first read). */
export const PINNED_RETIREMENT = 'pinnedRetirement';
/** Vault key of the secret of the invite link this phone made last. */
export const INVITE_SECRET = 'inviteSecret';

/** The first paint's view of the community, kept sealed across starts. */
type CachedView = Pick<CommunityState, 'categories' | 'areas' | 'members'> & { name: string };

/**
 * The community as this phone sees it: the directory of valid members, every member's feed followed
 * (a feed may arrive through a bridge after its directory entry), each feed's proven records read into
 * the post index, and the agreements and decisions they hold.
 */
export class Community {
  readonly state = new Store<CommunityState>({
    communityName: '',
    invite: '',
    categories: [],
    areas: [],
    members: {},
    docsLoaded: false,
    communitySettings: null,
    stewards: [],
    rejected: 0,
    agreements: { proposals: [], commitments: [], events: [], declines: [] },
    mine: [],
    decisions: [],
    vouchNotes: {},
    readsSealed: false,
    intake: null,
  });
  readonly feeds = new Map<string, DocHandle<FeedDoc>>();
  /** Each member's feed as read (verified records only). */
  readonly views = new Map<string, FeedView>();
  readonly decisionRecords = new Map<string, DecisionRecord[]>();
  /** Each member's vouch notes this phone could open. */
  private notes = new Map<string, Map<string, VouchNote>>();
  private following = new Set<string>();
  /** The secret of the last invite link this phone made (an organiser's), if any. */
  private inviteSecret?: string;
  /** Each followed feed's re-read, so a new members' key opens posts already here. */
  private rereads = new Map<string, () => void>();
  /** The community doc as its founder, stewards and members signed it (last read). */
  signed?: CommunityView;
  private rejectedBy = new Map<string, number>();
  /** Every signed record ever written in the community doc: deletions do not hide them. */
  private communityHistory = new SignedHistory(COMMUNITY_MAPS);
  /** Each feed's history, so sealed entries someone overwrote are still read (openSealedIntents). */
  private histories = new Map<string, SignedHistory>();
  /**
   * The founder this phone trusts: from the invite it joined with (or its hub's /api/info), else the
   * founder of the first community doc it read (invites made before they named the founder). Once set,
   * a founding record by anyone else — even one dated earlier — is ignored (readCommunity's pin). Likewise the retirement.
   */
  private pins: InvitePins = {};
  /** The founder and retirement this phone holds to (for its key backup). */
  get pinned(): InvitePins {
    return { ...this.pins };
  }
  /** Each author's rows in the index, and the sealed entries their posts were opened from. */
  private readonly rows: AuthorRows;
  private indexQueue: Promise<void> = Promise.resolve();
  /** Feed reads queued or running (feedsRead). */
  private reading = 0;
  /** Members whose feed was looked up, found or not (a feed that is not here yet is looked up once). */
  private lookedUp = new Set<string>();
  private readonly previews: FeedPreviews;
  readonly primer: SignaturePrimer;

  constructor(
    private readonly docs: PhoneDocs,
    private readonly index: IntentTable,
    private readonly vault: PhoneVault,
    private readonly trust: Trust,
    private readonly host: CommunityHost,
    /** Sealed index rows, opened once per session (shared with the list). */
    private readonly sealedRows: SealedRows,
  ) {
    this.rows = new AuthorRows(index, sealedRows);
    this.primer = new SignaturePrimer(() => host.signatureCheck());
    this.previews = new FeedPreviews({ relay: host.relay, index, prime: (r) => this.primer.records(r), listed: () => host.feedRead() });
  }

  /** First paint comes from the local index, before the wasm and the docs are loaded. */
  async restoreCachedView(): Promise<void> {
    // Both read at once: a cold start waits on the database for each read in a row.
    const [cached, trust] = await Promise.all([this.vault.get<CachedView>('communityView'), this.vault.get<typeof this.trust.state.state.trust>('trustView')]);
    if (!cached) return;
    this.state.set({ communityName: cached.name, categories: cached.categories, areas: cached.areas, members: cached.members });
    this.trust.state.set({ trust: trust ?? null });
  }

  /** Opens the community doc and my feed, and follows every member from then on. */
  async open(): Promise<void> {
    const docs = this.docs;
    const repo = await docs.start(this.vault.dek);
    docs.community = await docs.findCommunity(repo, docs.communityUrl!);
    const feedUrl = await this.vault.get<string>('feedUrl');
    docs.feed = await repo.find<FeedDoc>(feedUrl as AutomergeUrl);
    const [founder, retirement] = [await this.vault.get<string>(PINNED_FOUNDER), await this.vault.get<string>(PINNED_RETIREMENT)];
    this.pins = { ...(founder ? { founder } : {}), ...(retirement ? { retirement } : {}) };
    docs.community.on('change', () => void this.onCommunity());
    await this.onCommunity();
    this.state.set({ docsLoaded: true });
  }

  private async onCommunity(): Promise<void> {
    const handle = this.docs.community!;
    await this.primer.records(communityRecords(handle.doc()));
    // Read after the await: a later change may have come meanwhile, and the newest doc must win.
    const doc = handle.doc();
    // Only what the founder, stewards and members signed counts (core/model/read-community.ts).
    this.communityHistory.update(doc);
    const view = readCommunity(doc, this.communityHistory, this.pins.founder, this.pins.retirement);
    if (this.pins.founder === undefined && view.founder !== undefined) {
      // Fallback for an invite that named no founder: trust on first read, then hold to it.
      this.pins.founder = view.founder;
      await this.vault.put(PINNED_FOUNDER, view.founder);
    }
    if (this.pins.retirement === undefined && view.retirement) {
      this.pins.retirement = retirementDigest(view.retirement);
      await this.vault.put(PINNED_RETIREMENT, this.pins.retirement);
    }
    this.signed = view;
    const members: Record<string, string> = {};
    for (const [agentId, m] of Object.entries(view.members)) {
      members[agentId] = m.profile.name;
      if (!this.feeds.has(agentId)) void this.follow(agentId, m.feedUrl);
    }
    // Someone the organisers removed: their posts and vouches stop counting here (undo follows them again).
    for (const agentId of [...this.following]) if (view.settings.removed?.[agentId] !== undefined) await this.unfollow(agentId);
    this.rejectedBy.set('~members', view.problems.length);
    const s = view.settings;
    const categories = Object.values(s.categories).map((c) => ({ id: c.id, name: c.name }));
    const areas = Object.values(s.areas).map((a) => ({ id: a.id, name: a.name }));
    // The invite shown carries a link secret the organisers still list: the one this phone made, else
    // one another organiser boxed to me (invite-share.ts); I box those I hold to organisers lacking them.
    this.inviteSecret ??= await this.vault.get<string>(INVITE_SECRET);
    const links = activeInviteHashes(s.invites, Date.now());
    const secrets = this.shareInviteSecrets(handle, view, links.length > 0);
    const own = this.inviteSecret && inviteSecretHash(this.inviteSecret);
    const secret = own && secrets.has(own) ? this.inviteSecret : [...secrets.values()][0];
    // Once the organisers list links, an invite without one admits nobody: show none rather than one that fails.
    const invite = links.length > 0 && !secret ? '' : encodeInvite({ url: this.docs.communityUrl!, name: s.name, inviter: this.host.me(), founder: view.founder, retirement: this.pins.retirement, ...(secret ? { secret } : {}) });
    this.state.set({ communityName: s.name, categories, areas, members, invite, communitySettings: s, stewards: view.stewards });
    try {
      this.trust.thresholds = checkThresholds(s.thresholds);
    } catch {
      this.trust.thresholds = DEFAULT_THRESHOLDS; // nonsense thresholds in shared data must not open every gate
    }
    this.trust.schedule();
    this.updateRejected();
    await this.vault.put('communityView', { name: s.name, categories, areas, members } satisfies CachedView);
  }

  /** A member's feed may reach the relay after their directory entry does (it comes through a bridge). */
  async follow(agentId: string, url: string): Promise<void> {
    if (this.following.has(agentId)) return;
    this.following.add(agentId);
    const { findEventually } = await import('./find-eventually.ts');
    const own = this.docs.feed;
    if (url !== own?.url) void this.previews.preview(agentId, url);
    const handle = url === own?.url ? own : await findEventually<FeedDoc>(this.docs.repo!, url as AutomergeUrl).catch(() => undefined);
    this.lookedUp.add(agentId);
    if (!handle) return void this.following.delete(agentId);
    this.feeds.set(agentId, handle);
    const history = new SignedHistory([...FEED_MAPS.map((m) => [m]), [SEALED_MAP]]);
    this.histories.set(agentId, history);
    let queued = false;
    const reindex = () => {
      // Changes arrive faster than a big feed is read: one queued read of the newest doc serves them all.
      if (queued) return;
      queued = true;
      this.reading++;
      this.indexQueue = this.indexQueue
        .then(async () => {
          queued = false;
          if (this.feeds.get(agentId) !== handle) return; // unfollowed meanwhile (a removed member)
          const raw = handle.doc();
          const doc = await this.restore(agentId, raw, history);
          await this.primer.records(feedRecords(doc));
          if (doc?.owner === agentId) {
            this.trust.book.setFeed(agentId, doc);
            this.trust.schedule();
          }
          await this.indexFeed(agentId, doc);
        })
        .catch(console.error)
        .finally(() => this.reading--);
    };
    handle.on('change', reindex);
    this.rereads.set(agentId, reindex);
    reindex();
  }

  /**
   * A newcomer's join, once it has the community doc: the members' feed previews are asked for now, while
   * the join writes my entry, instead of once it has (about 0.7 s at 4× CPU slowdown, profiled). The same
   * signed reading as onCommunity; removed members are left out.
   */
  previewMembers(doc: CommunityDoc | undefined, pins: InvitePins, me: string): void {
    this.communityHistory.update(doc);
    const view = readCommunity(doc, this.communityHistory, pins.founder, pins.retirement);
    for (const [agentId, m] of Object.entries(view.members)) if (agentId !== me && view.settings.removed?.[agentId] === undefined) void this.previews.preview(agentId, m.feedUrl);
  }

  /** A member's feed as they signed it (signed-feed.ts); one still on its way reads as not here yet. */
  private async restore(agentId: string, raw: FeedDoc | undefined, history: SignedHistory): Promise<FeedDoc | undefined> {
    if (raw?.type === undefined) {
      history.update(raw); // not here yet (still on its way through a bridge)
      return raw;
    }
    this.previews.superseded(agentId); // the feed itself is read from here on: a late preview must not list over it
    return readSignedFeed(agentId, raw, history, this.primer, {
      progress: (intake) => this.state.set({ intake }),
      firstScreen: async (intents) => {
        await this.index.putRows(intents.map((i) => intentRow(i, (x) => this.sealedRows.seal(x))));
        await this.host.feedRead();
      },
    });
  }

  /**
   * The active links' secrets I can show, by hash; as an organiser, I box each to every organiser who has
   * none yet (written at once: the next read finds them there, so this settles).
   */
  private shareInviteSecrets(handle: DocHandle<CommunityDoc>, view: CommunityView, anyLinks: boolean): Map<string, string> {
    const me = this.host.identity();
    if (!me || !anyLinks) return new Map();
    const now = Date.now();
    const shares = Object.values(handle.doc()?.inviteShares ?? {});
    const isOrganiser = (id: string) => view.stewards.includes(id);
    const profileOf = (id: string) => view.members[id]?.profile;
    const secrets = showableSecrets(me, view.id, view.settings.invites, now, this.inviteSecret, shares, profileOf, isOrganiser);
    if (!isOrganiser(me.agentId) || secrets.size === 0) return secrets;
    const organisers = view.stewards.map(profileOf).filter((p): p is Profile => p !== undefined);
    const missing = missingShares(me, view.id, secrets, organisers, shares, isOrganiser, now);
    if (missing.length > 0) {
      handle.change((d) => {
        d.inviteShares ??= {};
        for (const m of missing) d.inviteShares[m.id] = m;
      });
      void this.host.wrote();
    }
    return secrets;
  }

  /** Keeps the secret of the invite link this phone just made (sealed in its vault) and shows that link. */
  async keepInviteSecret(secret: string): Promise<void> {
    this.inviteSecret = secret;
    await this.vault.put(INVITE_SECRET, secret);
    if (this.docs.community) await this.onCommunity();
  }

  /** Stops reading a removed member's feed and takes their posts and vouches out of what this phone shows. */
  private async unfollow(agentId: string): Promise<void> {
    const reread = this.rereads.get(agentId);
    if (reread) this.feeds.get(agentId)?.off('change', reread);
    for (const m of [this.feeds, this.views, this.decisionRecords, this.notes, this.histories, this.rereads]) m.delete(agentId);
    this.rows.forget(agentId);
    this.following.delete(agentId);
    this.trust.book.dropFeed(agentId);
    this.trust.schedule();
    this.publishAgreements();
    await this.index.replaceAuthor(agentId, []);
    await this.host.feedRead();
  }

  /**
   * Whether this phone has read every feed it can have now: each member's feed looked up (here, or not
   * yet anywhere it can reach) and no read queued. A restarted phone reading a big community is not.
   */
  feedsRead(): boolean {
    return this.reading === 0 && Object.keys(this.state.state.members).every((id) => this.lookedUp.has(id));
  }

  /** Reads every feed again (the members' keys changed: sealed posts open, or no longer do). */
  rereadAll(): void {
    for (const reread of this.rereads.values()) reread();
  }

  /** Whether every member's feed is here (my scores are not missing anyone's vouches). */
  feedsLoaded(): boolean {
    return Object.keys(this.state.state.members).every((id) => this.feeds.get(id)?.doc()?.owner === id);
  }

  /** Replaces this author's rows in the index with what their feed now proves. */
  private async indexFeed(agentId: string, doc: FeedDoc | undefined): Promise<void> {
    if (!doc || doc.type === undefined) return; // not here yet: it is still on its way through a bridge
    if (doc.owner !== agentId) {
      this.rejectedBy.set(agentId, Object.keys(doc.intents ?? {}).length + 1);
      this.updateRejected();
      return;
    }
    const plain = readFeed(doc);
    // Members-only posts, the requests, promises and hand-overs about them, vouch notes and decisions open
    // only with a members' key; without one they are simply not there (issue #17). Every version the
    // history holds is tried (an overwritten box is still read).
    const history = this.histories.get(agentId);
    const known = this.host.membersKeys();
    const keys = known ?? new Map<number, Uint8Array[]>();
    const versions = (key: string) => history?.versions([SEALED_MAP], key) ?? [];
    // What an earlier read (or start) opened is recalled; what is new has its signatures checked in batches first.
    const memo = await this.rows.memoOf(agentId);
    if (keys.size > 0) await this.primer.sealed(doc, keys, versions, memo);
    if (this.feeds.get(agentId) === undefined) return; // unfollowed meanwhile (a removed member)
    const sealed = openSealedIntents(doc, keys, undefined, versions, memo);
    const decisions = openSealedDecisions(doc, keys, undefined, versions, memo);
    const agreements = openSealedAgreements(doc, keys, undefined, versions, memo);
    this.notes.set(agentId, openVouchNotes(doc, keys, undefined, versions, memo));
    const view = {
      ...plain,
      ...mergeAgreements(plain, agreements),
      intents: mergeIntents(plain.intents, sealed.intents),
      rejected: [...plain.rejected, ...sealed.rejected, ...decisions.rejected, ...agreements.rejected],
    };
    this.views.set(agentId, view);
    // Decisions written before they were sealed stay readable from the clear map.
    const clear = Object.values(doc.decisions ?? {}).flatMap((r) => verifyDecisionRecord(r, agentId) ?? []);
    this.decisionRecords.set(agentId, [...clear, ...decisions.records]);
    this.publishAgreements();
    this.state.set({ readsSealed: keys.size > 0, vouchNotes: Object.fromEntries([...this.notes.values()].flatMap((m) => [...m.values()]).map((n) => [noteKey(n.author, n.id), { author: n.author, to: n.to, note: n.note }])) });
    if (agentId === this.host.me()) this.state.set({ mine: view.intents });
    await this.rows.write(agentId, view.intents, memo, known === undefined);
    this.rejectedBy.set(agentId, view.rejected.length);
    this.updateRejected();
    await this.host.feedRead();
  }

  /** Every verified proposal, commitment and hand-over, for the detail pages of the posts they concern. */
  private publishAgreements(): void {
    const views = [...this.views.values()];
    this.state.set({
      decisions: [...decisionState([...this.decisionRecords.values()].flat(), Date.now()).values()].sort((a, b) => b.created - a.created),
      agreements: {
        proposals: views.flatMap((v) => v.proposals),
        commitments: views.flatMap((v) => v.commitments),
        events: views.flatMap((v) => v.events),
        declines: views.flatMap((v) => v.declines),
      },
    });
  }

  private updateRejected(): void {
    this.state.set({ rejected: [...this.rejectedBy.values()].reduce((a, b) => a + b, 0) });
  }

  /** The community as this phone reads it: signed settings, stewards, members, and the records it refused. */
  view(): CommunityView {
    return readCommunity(this.docs.community?.doc(), this.communityHistory, this.pins.founder, this.pins.retirement);
  }

  /** The box key a member published in their signed profile: where messages to them are sealed. */
  recipient(agentId: string): { agentId: string; boxKey: string; name: string } | undefined {
    const m = this.view().members[agentId];
    return m && validMember(agentId, m) ? { agentId, boxKey: m.profile.boxKey, name: m.profile.name } : undefined;
  }
}

