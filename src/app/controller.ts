import type { AutomergeUrl, DocHandle, Repo } from '@automerge/automerge-repo/slim';
import { createIdentity, exportIdentity, importIdentity, type Identity, type StoredIdentity } from '../core/crypto/keys.ts';
import { createProfile, memberEntry, newFeedDoc, validMember } from '../core/model/community.ts';
import { recordHandOver } from '../core/model/event.ts';
import { readFeed } from '../core/model/feed.ts';
import { createIntent, editIntent, inputProblem, setIntentStatus, type IntentInput } from '../core/model/intent.ts';
import { byNewest, matches, type IntentFilter } from '../core/model/query.ts';
import { DEFAULT_THRESHOLDS, type CommunityDoc, type FeedDoc, type Intent, type TrustThresholds, type Vouch } from '../core/model/types.ts';
import { checkThresholds, createRevocation, createVouch, decodeContactCard, encodeContactCard, type ContactCard, type Perspective, type VouchStrength } from '../core/trust/index.ts';
import { TrustBook } from './trust-book.ts';
import { Messenger, type SecretStore } from './messenger.ts';
import { intentRow, LocalDb } from '../platform/db.ts';
import { decodeInvite, encodeInvite } from './invite.ts';
import { app } from './state.svelte.ts';

const PAGE = 50;

export class UserError extends Error {}

/** Owns the repo, the local index and the identity; screens call its methods and read `app`. */
class Controller {
  private db = new LocalDb();
  private repo?: Repo;
  private me?: Identity;
  private communityUrl?: string;
  private community?: DocHandle<CommunityDoc>;
  private feed?: DocHandle<FeedDoc>;
  private feeds = new Map<string, DocHandle<FeedDoc>>();
  private following = new Set<string>();
  private rejectedBy = new Map<string, number>();
  private verified = new Map<string, string>();
  private filter: IntentFilter = {};
  private limit = PAGE;
  private indexQueue: Promise<void> = Promise.resolve();
  private trustBook = new TrustBook();
  private perspective?: Perspective;
  private thresholds: TrustThresholds = DEFAULT_THRESHOLDS;
  private trustQueued = false;
  private messenger?: Messenger;
  /** Secrets (messages) kept on this phone; encrypted under the app lock's key when one is set. */
  private secrets: SecretStore = {
    get: (k) => this.db.getSetting(`secret:${k}`),
    put: (k, v) => this.db.setSetting(`secret:${k}`, v),
  };

  async boot(): Promise<void> {
    try {
      this.watchConnectivity();
      const stored = await this.db.getSetting<StoredIdentity>('identity');
      this.communityUrl = await this.db.getSetting<string>('communityUrl');
      app.pending = (await this.db.getSetting<number>('pendingWrites')) ?? 0;
      if (!stored || !this.communityUrl) {
        app.phase = 'welcome';
        return;
      }
      this.me = importIdentity(stored);
      app.me = { agentId: this.me.agentId, name: (await this.db.getSetting<string>('name')) ?? '' };
      this.perspective = {
        viewer: this.me.agentId,
        anchors: (await this.db.getSetting<string[]>('anchors')) ?? [],
        founder: (await this.db.getSetting<boolean>('founder')) ?? false,
      };
      await this.restoreCachedView();
      await this.startMessenger();
      app.phase = 'ready';
      // Paint the list from the index first; loading Automerge (JS + wasm) competes for the CPU.
      await this.refreshList();
      await new Promise((r) => requestAnimationFrame(() => setTimeout(r)));
      await this.openDocs();
    } catch (err) {
      console.error(err);
      app.error = 'error.startup';
      app.phase = 'error';
    }
  }

  /** First paint comes from the local index, before the wasm and the docs are loaded. */
  private async restoreCachedView(): Promise<void> {
    const cached = await this.db.getSetting<{ name: string; categories: typeof app.categories; areas: typeof app.areas; members: Record<string, string> }>('communityView');
    if (!cached) return;
    app.communityName = cached.name;
    app.categories = cached.categories;
    app.areas = cached.areas;
    app.members = cached.members;
    app.trust = (await this.db.getSetting<typeof app.trust>('trustView')) ?? null;
  }

  private watchConnectivity(): void {
    addEventListener('online', () => (app.online = true));
    addEventListener('offline', () => (app.online = false));
  }

  private async startRepo(): Promise<Repo> {
    if (this.repo) return this.repo;
    // Loaded on demand: the first list paints from the index before Automerge's code is even fetched.
    const [{ automergeReady }, { createRepo, relaySyncUrl }] = await Promise.all([import('../platform/automerge.ts'), import('../platform/repo.ts')]);
    await automergeReady();
    if (this.repo) return this.repo;
    const { repo, network } = createRepo(relaySyncUrl());
    network.on('peer-candidate', () => {
      app.relayConnected = true;
      void this.messenger?.sync();
      this.checkPending();
      void this.pollRelayStatus();
    });
    network.on('peer-disconnected', () => (app.relayConnected = false));
    this.repo = repo;
    return repo;
  }

  /** Creates the identity, joins the community (invite or the relay's default) and makes my feed. */
  async join(name: string, inviteText: string): Promise<void> {
    const trimmed = name.trim();
    if (!trimmed) throw new UserError('error.nameRequired');
    if (trimmed.length > 60) throw new UserError('error.tooLong');
    const invite = inviteText.trim() ? decodeInvite(inviteText) : null;
    if (inviteText.trim() && !invite) throw new UserError('error.badInvite');
    const url = invite ? invite.url : await this.defaultCommunityUrl();
    if (!url) throw new UserError('error.badInvite');
    const repo = await this.startRepo();
    const community = await this.findCommunity(repo, url);
    const me = createIdentity();
    // The first member founds the community; anyone else starts out seeing it through whoever invited them.
    const founder = !Object.entries(community.doc().members).some(([id, m]) => validMember(id, m));
    this.perspective = { viewer: me.agentId, anchors: invite?.inviter ? [invite.inviter] : [], founder };
    await this.db.setSetting('anchors', this.perspective.anchors);
    await this.db.setSetting('founder', founder);
    const feed = repo.create<FeedDoc>(newFeedDoc(me.agentId, community.doc().id));
    const now = Date.now();
    community.change((d) => {
      d.members[me.agentId] = memberEntry(createProfile(me, trimmed, now), feed.url, now);
    });
    await this.db.setSetting('identity', exportIdentity(me));
    await this.db.setSetting('name', trimmed);
    await this.db.setSetting('communityUrl', url);
    await this.db.setSetting('feedUrl', feed.url);
    this.me = me;
    this.communityUrl = url;
    app.me = { agentId: me.agentId, name: trimmed };
    await this.startMessenger();
    await this.bumpPending();
    app.phase = 'ready';
    await this.openDocs();
  }

  private statusTimer?: ReturnType<typeof setTimeout>;

  /** While connected, asks the relay now and then about its bridge contacts (for the status bar). */
  private async pollRelayStatus(): Promise<void> {
    clearTimeout(this.statusTimer);
    if (!app.relayConnected) return;
    const res = await fetch('/api/status', { cache: 'no-store' }).catch(() => undefined);
    const dtn = res?.ok ? ((await res.json()) as { dtn?: { lastContact?: { peer: string; since: number; until?: number; up: boolean; changesApplied: number } | null } }).dtn : undefined;
    const c = dtn?.lastContact;
    if (c) app.lastBridge = { peer: c.peer, at: c.up ? Date.now() : (c.until ?? c.since), up: c.up, changes: c.changesApplied };
    this.statusTimer = setTimeout(() => void this.pollRelayStatus(), 15_000);
  }

  private async defaultCommunityUrl(): Promise<string | undefined> {
    const res = await fetch('/api/info', { cache: 'no-store' }).catch(() => undefined);
    if (!res?.ok) throw new UserError('error.relayUnreachable');
    const info = (await res.json()) as { communities?: Array<{ url: string }> };
    return info.communities?.[0]?.url;
  }

  private async findCommunity(repo: Repo, url: string): Promise<DocHandle<CommunityDoc>> {
    const handle = await repo.find<CommunityDoc>(url as AutomergeUrl).catch(() => undefined);
    if (!handle || handle.doc()?.type !== 'community') throw new UserError('error.communityUnavailable');
    return handle;
  }

  private async openDocs(): Promise<void> {
    const repo = await this.startRepo();
    this.community = await this.findCommunity(repo, this.communityUrl!);
    const feedUrl = await this.db.getSetting<string>('feedUrl');
    this.feed = await repo.find<FeedDoc>(feedUrl as AutomergeUrl);
    for (const h of [this.community, this.feed] as DocHandle<unknown>[]) h.on('remote-heads', () => this.checkPending());
    this.community.on('change', () => this.onCommunity());
    await this.onCommunity();
    app.docsLoaded = true;
  }

  private async onCommunity(): Promise<void> {
    const doc = this.community!.doc();
    const members: Record<string, string> = {};
    let badMembers = 0;
    for (const [agentId, m] of Object.entries(doc.members)) {
      if (!validMember(agentId, m)) {
        badMembers++;
        continue;
      }
      members[agentId] = m.profile.name;
      if (!this.feeds.has(agentId)) void this.followFeed(agentId, m.feedUrl);
    }
    this.rejectedBy.set('~members', badMembers);
    app.communityName = doc.name;
    app.categories = Object.values(doc.categories).map((c) => ({ id: c.id, name: c.name }));
    app.areas = Object.values(doc.areas).map((a) => ({ id: a.id, name: a.name }));
    app.members = members;
    app.invite = encodeInvite({ url: this.communityUrl!, name: doc.name, inviter: this.me?.agentId });
    try {
      this.thresholds = checkThresholds(doc.thresholds);
    } catch {
      this.thresholds = DEFAULT_THRESHOLDS; // nonsense thresholds in shared data must not open every gate
    }
    this.scheduleTrust();
    this.updateRejected();
    await this.db.setSetting('communityView', { name: doc.name, categories: app.categories, areas: app.areas, members });
  }

  /** A member's feed may reach the relay after their directory entry does (it comes through a bridge). */
  private async followFeed(agentId: string, url: string): Promise<void> {
    if (this.following.has(agentId)) return;
    this.following.add(agentId);
    const { findEventually } = await import('../platform/find-eventually.ts');
    const handle = url === this.feed?.url ? this.feed : await findEventually<FeedDoc>(this.repo!, url as AutomergeUrl).catch(() => undefined);
    if (!handle) return void this.following.delete(agentId);
    this.feeds.set(agentId, handle);
    const reindex = () => {
      const doc = handle.doc();
      if (doc?.owner === agentId) {
        this.trustBook.setFeed(agentId, doc);
        this.scheduleTrust();
      }
      this.indexQueue = this.indexQueue.then(() => this.indexFeed(agentId, doc)).catch(console.error);
    };
    handle.on('change', reindex);
    reindex();
  }

  /** Replaces this author's rows in the index with what their feed now proves. */
  private async indexFeed(agentId: string, doc: FeedDoc | undefined): Promise<void> {
    if (!doc || doc.type === undefined) return; // not here yet: it is still on its way through a bridge
    if (doc.owner !== agentId) {
      this.rejectedBy.set(agentId, Object.keys(doc.intents ?? {}).length + 1);
      this.updateRejected();
      return;
    }
    const view = readFeed(doc, this.verified);
    const rows = view.intents.map(intentRow);
    const keep = new Set(rows.map((r) => r.key));
    await this.db.transaction('rw', this.db.intents, async () => {
      const stale = (await this.db.intents.where('author').equals(agentId).primaryKeys()).filter((k) => !keep.has(k));
      await this.db.intents.bulkDelete(stale);
      await this.db.intents.bulkPut(rows);
    });
    this.rejectedBy.set(agentId, view.rejected.length);
    this.updateRejected();
    await this.refreshList();
  }

  private updateRejected(): void {
    app.rejected = [...this.rejectedBy.values()].reduce((a, b) => a + b, 0);
  }

  async setFilter(f: IntentFilter): Promise<void> {
    this.filter = f;
    this.limit = PAGE;
    await this.refreshList();
  }

  async showMore(): Promise<void> {
    this.limit += PAGE;
    await this.refreshList();
  }

  private listGeneration = 0;

  /**
   * Reads only as many rows as the page shows (newest first, stopping at `limit` matches) and counts
   * the rest separately, so the first list paints without reading every offer in the index.
   */
  private async refreshList(): Promise<void> {
    const generation = ++this.listGeneration;
    const now = Date.now();
    const f = this.filter;
    const rows = await this.db.intents
      .orderBy('updated')
      .reverse()
      .filter((r) => matches(r.record, f, now))
      .limit(this.limit)
      .toArray();
    if (generation !== this.listGeneration) return;
    app.intents = rows.map((r) => r.record).sort(byNewest);
    app.totalMatches = rows.length < this.limit ? rows.length : await this.countMatches(f, now);
  }

  private async countMatches(f: IntentFilter, now: number): Promise<number> {
    const unfiltered = !f.text && !f.kind && !f.category && !f.area && !f.includeClosed;
    const open = this.db.intents.where('status').equals('open');
    return unfiltered ? open.filter((r) => r.record.expires === undefined || r.record.expires > now).count() : open.filter((r) => matches(r.record, f, now)).count();
  }

  async findIntent(key: string): Promise<Intent | undefined> {
    return (await this.db.intents.get(key))?.record;
  }

  private writeFeed(rec: Intent | ReturnType<typeof recordHandOver>): void {
    if (!this.feed) throw new UserError('error.notReady');
    this.feed.change((d) => {
      if (rec.type === 'intent') d.intents[rec.id] = rec;
      else d.events[rec.id] = rec;
    });
  }

  async post(input: IntentInput): Promise<Intent> {
    const problem = inputProblem(input);
    if (problem) throw new UserError(problem);
    const gate = app.trust?.gates[input.kind === 'offer' ? 'post-offer' : 'post-need'];
    if (gate && !gate.allowed) throw new UserError(gate.reason);
    const rec = createIntent(this.me!, input, Date.now());
    this.writeFeed(rec);
    await this.bumpPending();
    return rec;
  }

  async edit(prev: Intent, input: IntentInput): Promise<Intent> {
    const problem = inputProblem(input);
    if (problem) throw new UserError(problem);
    const rec = editIntent(this.me!, prev, input, Date.now());
    this.writeFeed(rec);
    await this.bumpPending();
    return rec;
  }

  async withdraw(prev: Intent): Promise<void> {
    this.writeFeed(setIntentStatus(this.me!, prev, 'withdrawn', Date.now()));
    await this.bumpPending();
  }

  /** "Given" / "received": records the EconomicEvent and closes the intent. */
  async markDone(prev: Intent, note: string): Promise<void> {
    const now = Date.now();
    this.writeFeed(recordHandOver(this.me!, prev, undefined, note, now));
    this.writeFeed(setIntentStatus(this.me!, prev, 'fulfilled', now));
    await this.bumpPending();
  }

  /** Coalesces bursts of feed changes (a bridge brings hundreds at once) into one recomputation. */
  private scheduleTrust(): void {
    if (this.trustQueued || !this.perspective) return;
    this.trustQueued = true;
    setTimeout(() => {
      this.trustQueued = false;
      this.recomputeTrust();
    }, 0);
  }

  private recomputeTrust(): void {
    if (!this.perspective) return;
    app.trust = this.trustBook.compute(this.perspective, this.thresholds, 'steward', Date.now());
    void this.db.setSetting('trustView', app.trust);
  }

  /** "My code": my signed profile and feed, for another member to scan or paste. */
  myCode(): string {
    const profile = this.community?.doc().members[this.me!.agentId]?.profile;
    if (!profile || !this.feed) throw new UserError('error.notReady');
    return encodeContactCard(this.me!, profile, this.feed.url, this.community!.doc().id, Date.now());
  }

  /** Reads a scanned or pasted code; refuses my own and another community's. */
  readCode(text: string): ContactCard {
    let card: ContactCard;
    try {
      card = decodeContactCard(text);
    } catch (err) {
      throw new UserError(`trust.code.${(err as { code?: string }).code ?? 'bad-shape'}`);
    }
    if (card.author === this.me?.agentId) throw new UserError('trust.code.own');
    if (this.community && card.community !== this.community.doc().id) throw new UserError('trust.code.other-community');
    return card;
  }

  async vouch(card: ContactCard, strength: VouchStrength, note: string, expires?: number): Promise<Vouch> {
    const gate = app.trust?.gates.vouch;
    if (gate && !gate.allowed && !this.isNewcomer()) throw new UserError(gate.reason);
    if (!this.feed) throw new UserError('error.notReady');
    const rec = createVouch(this.me!, { to: card.author, strength, note, expires }, Date.now());
    this.feed.change((d) => {
      d.vouches[rec.id] = rec;
    });
    if (this.isNewcomer()) {
      // A newcomer's first in-person vouch is who they see the community through from now on.
      this.perspective = { ...this.perspective!, anchors: [card.author] };
      await this.db.setSetting('anchors', this.perspective.anchors);
    }
    void this.followFeed(card.author, card.feedUrl);
    await this.bumpPending();
    this.scheduleTrust();
    return rec;
  }

  async revoke(vouchId: string): Promise<void> {
    if (!this.feed) throw new UserError('error.notReady');
    const rec = createRevocation(this.me!, vouchId, Date.now());
    this.feed.change((d) => {
      d.revocations[rec.id] = rec;
    });
    await this.bumpPending();
    this.scheduleTrust();
  }

  private async startMessenger(): Promise<void> {
    this.messenger = new Messenger(this.me!, this.secrets);
    await this.messenger.load();
    this.messenger.start();
  }

  /** The box key a member published in their signed profile: where messages to them are sealed. */
  recipient(agentId: string): { agentId: string; boxKey: string; name: string } | undefined {
    const m = this.community?.doc().members[agentId];
    return m && validMember(agentId, m) ? { agentId, boxKey: m.profile.boxKey, name: m.profile.name } : undefined;
  }

  async sendMessage(peer: string, text: string): Promise<void> {
    const gate = app.trust?.gates.message;
    if (gate && !gate.allowed) throw new UserError(gate.reason);
    const to = this.recipient(peer);
    if (!to) throw new UserError('messages.noRecipient');
    const trimmed = text.trim();
    if (!trimmed) throw new UserError('error.required');
    if (trimmed.length > 4000) throw new UserError('error.tooLong');
    await this.messenger!.send(to, trimmed);
  }

  async readConversation(peer: string): Promise<void> {
    await this.messenger?.read(peer);
  }

  /** Nobody to see the community through yet: the first person they vouch for becomes that. */
  isNewcomer(): boolean {
    return !!this.perspective && !this.perspective.founder && this.perspective.anchors.length === 0;
  }

  explain(agentId: string) {
    return this.trustBook.explain(agentId);
  }

  isMine(i: Intent): boolean {
    return i.author === this.me?.agentId;
  }

  private async bumpPending(): Promise<void> {
    app.pending += 1;
    await this.db.setSetting('pendingWrites', app.pending);
    this.checkPending();
  }

  /** Pending = local writes the relay has not yet acknowledged holding (its heads lag ours). */
  private checkPending(): void {
    const repo = this.repo;
    if (!repo || !this.feed || !this.community) return;
    const relay = repo.peers.map((p) => repo.getStorageIdOfPeer(p)).find(Boolean);
    if (!relay) return;
    const inSync = [this.feed, this.community].every((h) => {
      const theirs: string[] = (h as DocHandle<unknown>).getSyncInfo(relay)?.lastHeads ?? [];
      const ours = h.heads();
      return ours.every((x) => theirs.includes(x));
    });
    if (inSync && app.pending !== 0) {
      app.pending = 0;
      void this.db.setSetting('pendingWrites', 0);
    }
  }
}

export const controller = new Controller();
