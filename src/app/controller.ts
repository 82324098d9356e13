import type { AutomergeUrl, DocHandle, Repo } from '@automerge/automerge-repo/slim';
import { createIdentity, exportIdentity, importIdentity, type Identity, type StoredIdentity } from '../core/crypto/keys.ts';
import { createProfile, memberEntry, newFeedDoc, validMember } from '../core/model/community.ts';
import { recordHandOver } from '../core/model/event.ts';
import { feedRecords, readFeed, type FeedView } from '../core/model/feed.ts';
import { readCommunity } from '../core/model/read-community.ts';
import { COMMUNITY_MAPS, FEED_MAPS, restoreFeed } from '../core/model/restore.ts';
import { SignedHistory } from '../core/sync/signed-history.ts';
import { primeSignatures, type AsyncSignatureCheck } from '../core/crypto/sign.ts';
import { webCryptoSignatureCheck } from '../platform/ed25519.ts';
import { createCommitment, createProposal } from '../core/model/agreement.ts';
import { AGENT_NAMES, type AgentName, type AgentProposal } from '../../agents/types.ts';
import { AgentsClient } from './agents-client.ts';
import { createIntent, editIntent, inputProblem, setIntentStatus, type IntentInput } from '../core/model/intent.ts';
import { byNewest, matches, type IntentFilter } from '../core/model/query.ts';
import { DEFAULT_THRESHOLDS, type CommunityDoc, type FeedDoc, type Intent, type TrustThresholds, type Vouch } from '../core/model/types.ts';
import { checkThresholds, createRevocation, createVouch, decodeContactCard, encodeContactCard, type ContactCard, type Perspective, type VouchStrength } from '../core/trust/index.ts';
import { TrustBook } from './trust-book.ts';
import { Messenger, type SecretStore } from './messenger.ts';
import { AlertWatch } from './alerts.ts';
import { SanctuaryDesk } from './sanctuary.ts';
import type { SanctuaryEntryPlain, PrintOptions } from '../core/sanctuary/index.ts';
import type { AlertInput, FollowUpAct } from '../core/alerts/index.ts';
import type { SanctuaryTier, TrustContext } from '../core/trust/index.ts';
import { AppVault } from './vault.ts';
import { PhoneLibrary } from './library.ts';
import { DecisionsDesk } from './decisions.ts';
import { decisionState, verifyDecisionRecord, type DecisionRecord } from '../../agents/governance-records.ts';
import type { IslandAnswer } from '../core/discovery/client.ts';
import { deadManDue, idleLockDue } from '../core/vault/index.ts';
import type { IntentRow } from '../platform/db.ts';
import { intentRow, LocalDb } from '../platform/db.ts';
import { decodeInvite, encodeInvite } from '../core/protocol/invite.ts';
import { Route, withCommunity, type RelayInfo, type RelayStatus } from '../core/protocol/routes.ts';
import { app } from './state.svelte.ts';

const PAGE = 50;

export class UserError extends Error {}

export type { IslandAnswer as SearchAnswer } from '../core/discovery/client.ts';

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
  private filter: IntentFilter = {};
  private limit = PAGE;
  private indexQueue: Promise<void> = Promise.resolve();
  private nativeCheck?: Promise<AsyncSignatureCheck | undefined>;
  private trustBook = new TrustBook();
  private perspective?: Perspective;
  private thresholds: TrustThresholds = DEFAULT_THRESHOLDS;
  private trustQueued = false;
  private messenger?: Messenger;
  private views = new Map<string, FeedView>();
  /** Every signed record ever written in the community doc and in each feed: deletions do not hide them. */
  private communityHistory = new SignedHistory(COMMUNITY_MAPS);
  private feedHistories = new Map<string, SignedHistory>();
  private agents = new AgentsClient();
  private agentsTimer?: ReturnType<typeof setTimeout>;
  private vault = new AppVault(this.db);
  /** Secrets kept on this phone (identity, names, trust, messages): sealed under the data key. */
  private secrets: SecretStore = { get: (k) => this.vault.get(k), put: (k, v) => this.vault.put(k, v) };

  async boot(): Promise<void> {
    try {
      this.watchConnectivity();
      app.pending = (await this.db.getSetting<number>('pendingWrites')) ?? 0;
      const kind = await this.vault.kind();
      app.lockKind = kind;
      if (kind === 'none') {
        app.phase = 'welcome';
        return;
      }
      if (await this.deadManSwitchDue()) return await this.wipe();
      if (kind === 'pin') {
        app.phase = 'locked';
        return;
      }
      await this.vault.openDevice();
      await this.afterUnlock();
    } catch (err) {
      console.error(err);
      app.error = 'error.startup';
      app.phase = 'error';
    }
  }

  /** The PIN screen: the real PIN opens the phone, the duress PIN opens a decoy and shreds the real data. */
  async unlock(pin: string): Promise<void> {
    const outcome = await this.vault.unlock(pin);
    if (outcome === 'wrong') throw new UserError('lock.wrong');
    if (outcome === 'duress') return this.enterDecoy();
    await this.afterUnlock();
  }

  private async afterUnlock(): Promise<void> {
    await this.db.setSetting('lastUnlock', Date.now());
    this.watchIdle();
    const stored = await this.vault.get<StoredIdentity>('identity');
    this.communityUrl = await this.vault.get<string>('communityUrl');
    if (!stored || !this.communityUrl) {
      app.phase = 'welcome';
      return;
    }
    {
      this.me = importIdentity(stored);
      app.me = { agentId: this.me.agentId, name: (await this.vault.get<string>('name')) ?? '' };
      this.perspective = {
        viewer: this.me.agentId,
        anchors: (await this.vault.get<string[]>('anchors')) ?? [],
        founder: (await this.vault.get<boolean>('founder')) ?? false,
      };
      await this.restoreCachedView();
      app.searches = ((await this.vault.get<typeof app.searches>('searches')) ?? []).filter((x) => x.expires > Date.now());
      await this.startMessenger();
      app.phase = 'ready';
      // Paint the list from the index first; loading Automerge (JS + wasm) competes for the CPU.
      await this.refreshList();
      await new Promise((r) => requestAnimationFrame(() => setTimeout(r)));
      await this.openDocs();
    }
  }

  /**
   * After the duress PIN: the lock record is already shredded (the real PIN now fails); the secrets and
   * the docs go; what stays is the public noticeboard, shown like the real app with nobody's data.
   */
  private async enterDecoy(): Promise<void> {
    await this.vault.shredSecrets();
    await new Promise<void>((resolve) => {
      const req = indexedDB.deleteDatabase('solarpunk-docs');
      req.onsuccess = req.onerror = req.onblocked = () => resolve();
    });
    app.decoy = true;
    // A plausible newcomer's view: nobody trusted yet, the usual "how to get vouched".
    app.trust = new TrustBook().compute({ viewer: 'decoy', anchors: [], founder: false }, DEFAULT_THRESHOLDS, 'steward', Date.now());
    app.phase = 'ready';
    await this.refreshList();
  }

  /** Panic wipe. Keys first (from then on every sealed byte is noise); the rest on a clean page load. */
  async wipe(): Promise<void> {
    await this.vault.destroyKeys();
    sessionStorage.setItem('spm-wipe', '1');
    location.reload();
  }

  /** Locks now (a PIN phone): reloading drops the data key from memory; the PIN screen comes back. */
  lockNow(): void {
    location.reload();
  }

  private async readBackup(text: string, passphrase: string): Promise<Identity> {
    const { importBackup, BackupError } = await import('../core/vault/index.ts');
    try {
      return await importBackup(text, passphrase);
    } catch (err) {
      throw new UserError(err instanceof BackupError ? `backup.${err.code}` : 'backup.malformed');
    }
  }

  /** Key backup: the secret keys sealed under a passphrase (scrypt), as text short enough for a QR code. */
  async exportBackup(passphrase: string): Promise<string> {
    if (passphrase.length < 8) throw new UserError('backup.short');
    const { exportBackup, PHONE_SCRYPT } = await import('../core/vault/index.ts');
    return exportBackup(this.me!, passphrase, PHONE_SCRYPT);
  }

  private async deadManSwitchDue(): Promise<boolean> {
    const hours = await this.db.getSetting<number>('deadManHours');
    const last = await this.db.getSetting<number>('lastUnlock');
    return !!hours && last !== undefined && deadManDue(last, Date.now(), hours);
  }

  async setDeadMan(hours: number | null): Promise<void> {
    if (hours) await this.db.setSetting('deadManHours', hours);
    else await this.db.settings.delete('deadManHours');
    app.deadManHours = hours;
  }

  async setIdleMinutes(minutes: number): Promise<void> {
    await this.db.setSetting('idleMinutes', minutes);
    app.idleMinutes = minutes;
  }

  async setPin(pin: string, duressPin: string): Promise<void> {
    if (pin.trim().length < 4) throw new UserError('lock.tooShort');
    if (duressPin && duressPin === pin) throw new UserError('lock.same');
    await this.vault.setPin(pin, duressPin || null);
    app.lockKind = 'pin';
  }

  private lastActivity = Date.now();

  /** A PIN phone locks itself after the chosen idle time. */
  private watchIdle(): void {
    const touch = () => (this.lastActivity = Date.now());
    for (const e of ['pointerdown', 'keydown', 'scroll']) addEventListener(e, touch, { passive: true });
    void this.db.getSetting<number>('idleMinutes').then((m) => (app.idleMinutes = m ?? 5));
    void this.db.getSetting<number>('deadManHours').then((h) => (app.deadManHours = h ?? null));
    setInterval(() => {
      if (app.lockKind === 'pin' && idleLockDue(this.lastActivity, Date.now(), app.idleMinutes)) this.lockNow();
    }, 15_000);
  }

  /** First paint comes from the local index, before the wasm and the docs are loaded. */
  private async restoreCachedView(): Promise<void> {
    const cached = await this.vault.get<{ name: string; categories: typeof app.categories; areas: typeof app.areas; members: Record<string, string> }>('communityView');
    if (!cached) return;
    app.communityName = cached.name;
    app.categories = cached.categories;
    app.areas = cached.areas;
    app.members = cached.members;
    app.trust = (await this.vault.get<typeof app.trust>('trustView')) ?? null;
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
    const { EncryptedStorageAdapter } = await import('../core/vault/storage-adapter.ts');
    const { IndexedDBStorageAdapter } = await import('@automerge/automerge-repo-storage-indexeddb');
    if (!this.vault.dek) throw new UserError('error.notReady');
    const storage = await EncryptedStorageAdapter.open(new IndexedDBStorageAdapter('solarpunk-docs'), this.vault.dek);
    const { repo, network } = createRepo(relaySyncUrl(), storage);
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
  async join(name: string, inviteText: string, pin = '', duressPin = '', backup?: { text: string; passphrase: string }): Promise<void> {
    let trimmed = name.trim();
    const restored = backup?.text.trim() ? await this.readBackup(backup.text, backup.passphrase) : undefined;
    if (!trimmed && !restored) throw new UserError('error.nameRequired');
    if (trimmed.length > 60) throw new UserError('error.tooLong');
    if (pin && pin.trim().length < 4) throw new UserError('lock.tooShort');
    if (duressPin && (!pin || duressPin === pin)) throw new UserError('lock.same');
    const invite = inviteText.trim() ? decodeInvite(inviteText) : null;
    if (inviteText.trim() && !invite) throw new UserError('error.badInvite');
    const url = invite ? invite.url : await this.defaultCommunityUrl();
    if (!url) throw new UserError('error.badInvite');
    if (!this.vault.dek) {
      await this.vault.create(pin || null, duressPin || null);
      app.lockKind = pin ? 'pin' : 'device';
      await this.db.setSetting('lastUnlock', Date.now());
    }
    const repo = await this.startRepo();
    const community = await this.findCommunity(repo, url);
    const me = restored ?? createIdentity();
    const existing = community.doc().members[me.agentId];
    const mine = existing && validMember(me.agentId, existing) ? existing : undefined;
    if (!trimmed) trimmed = mine?.profile.name ?? '';
    if (!trimmed) throw new UserError('error.nameRequired');
    // The first member founds the community; anyone else starts out seeing it through whoever invited them.
    const founder = !Object.entries(community.doc().members).some(([id, m]) => id !== me.agentId && validMember(id, m));
    this.perspective = { viewer: me.agentId, anchors: invite?.inviter ? [invite.inviter] : [], founder };
    await this.vault.put('anchors', this.perspective.anchors);
    await this.vault.put('founder', founder);
    // A restored identity keeps its feed: its posts and vouches stay theirs.
    const feed = mine ? await repo.find<FeedDoc>(mine.feedUrl as AutomergeUrl) : repo.create<FeedDoc>(newFeedDoc(me.agentId, community.doc().id));
    const now = Date.now();
    if (!mine) {
      community.change((d) => {
        d.members[me.agentId] = memberEntry(me, createProfile(me, trimmed, now), d.id, feed.url, now);
      });
    }
    await this.vault.put('identity', exportIdentity(me));
    await this.vault.put('name', trimmed);
    await this.vault.put('communityUrl', url);
    await this.vault.put('feedUrl', feed.url);
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
    const res = await fetch(Route.status, { cache: 'no-store' }).catch(() => undefined);
    const dtn = res?.ok ? ((await res.json()) as RelayStatus).dtn : undefined;
    const c = dtn?.lastContact;
    if (c) app.lastBridge = { peer: c.peer, at: c.up ? Date.now() : (c.until ?? c.since), up: c.up, changes: c.changesApplied };
    this.checkPending(); // a missed acknowledgement is caught here at the latest
    this.statusTimer = setTimeout(() => void this.pollRelayStatus(), 15_000);
  }

  private async defaultCommunityUrl(): Promise<string | undefined> {
    const res = await fetch(Route.info, { cache: 'no-store' }).catch(() => undefined);
    if (!res?.ok) throw new UserError('error.relayUnreachable');
    const info = (await res.json()) as Partial<RelayInfo>;
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
    const feedUrl = await this.vault.get<string>('feedUrl');
    this.feed = await repo.find<FeedDoc>(feedUrl as AutomergeUrl);
    for (const h of [this.community, this.feed] as DocHandle<unknown>[]) h.on('remote-heads', () => this.checkPending());
    this.community.on('change', () => this.onCommunity());
    await this.onCommunity();
    app.docsLoaded = true;
    // The relay may have acknowledged our writes before these listeners existed (right after joining).
    this.checkPending();
  }

  private async onCommunity(): Promise<void> {
    await this.primeSignatures(Object.values(this.community!.doc().members ?? {}).flatMap((m) => [m, m?.profile]));
    // Read after the await: a later change may have come meanwhile, and the newest doc must win.
    const doc = this.community!.doc();
    // Only what the founder, stewards and members signed counts (core/model/read-community.ts).
    this.communityHistory.update(doc);
    const view = readCommunity(doc, this.communityHistory);
    const members: Record<string, string> = {};
    for (const [agentId, m] of Object.entries(view.members)) {
      members[agentId] = m.profile.name;
      if (!this.feeds.has(agentId)) void this.followFeed(agentId, m.feedUrl);
    }
    this.rejectedBy.set('~members', view.problems.length);
    const s = view.settings;
    app.communityName = s.name;
    app.categories = Object.values(s.categories).map((c) => ({ id: c.id, name: c.name }));
    app.areas = Object.values(s.areas).map((a) => ({ id: a.id, name: a.name }));
    app.members = members;
    app.invite = encodeInvite({ url: this.communityUrl!, name: s.name, inviter: this.me?.agentId });
    try {
      this.thresholds = checkThresholds(s.thresholds);
    } catch {
      this.thresholds = DEFAULT_THRESHOLDS; // nonsense thresholds in shared data must not open every gate
    }
    this.scheduleTrust();
    this.updateRejected();
    await this.vault.put('communityView', { name: s.name, categories: app.categories, areas: app.areas, members });
  }

  /** A member's feed may reach the relay after their directory entry does (it comes through a bridge). */
  private async followFeed(agentId: string, url: string): Promise<void> {
    if (this.following.has(agentId)) return;
    this.following.add(agentId);
    const { findEventually } = await import('../platform/find-eventually.ts');
    const handle = url === this.feed?.url ? this.feed : await findEventually<FeedDoc>(this.repo!, url as AutomergeUrl).catch(() => undefined);
    if (!handle) return void this.following.delete(agentId);
    this.feeds.set(agentId, handle);
    const history = new SignedHistory(FEED_MAPS.map((m) => [m]));
    this.feedHistories.set(agentId, history);
    const reindex = () => {
      const raw = handle.doc();
      history.update(raw);
      // The member's signed entry names this feed: its records count if the member signed them, deleted or not.
      const doc = raw?.type === undefined ? raw : restoreFeed(raw, history, agentId);
      this.indexQueue = this.indexQueue
        .then(async () => {
          await this.primeSignatures(feedRecords(doc));
          if (doc?.owner === agentId) {
            this.trustBook.setFeed(agentId, doc);
            this.scheduleTrust();
          }
          await this.indexFeed(agentId, doc);
        })
        .catch(console.error);
    };
    handle.on('change', reindex);
    reindex();
  }

  /**
   * Checks new signatures with the browser's native ed25519 before the domain code reads them (it
   * verifies synchronously with tweetnacl, ~15 ms a record on a phone); those checks then hit a cache.
   */
  private async primeSignatures(records: Iterable<unknown>): Promise<void> {
    this.nativeCheck ??= webCryptoSignatureCheck();
    const check = await this.nativeCheck;
    if (check) await primeSignatures(records, check);
  }

  /** Replaces this author's rows in the index with what their feed now proves. */
  private async indexFeed(agentId: string, doc: FeedDoc | undefined): Promise<void> {
    if (!doc || doc.type === undefined) return; // not here yet: it is still on its way through a bridge
    if (doc.owner !== agentId) {
      this.rejectedBy.set(agentId, Object.keys(doc.intents ?? {}).length + 1);
      this.updateRejected();
      return;
    }
    const view = readFeed(doc);
    this.views.set(agentId, view);
    this.decisionRecords.set(agentId, Object.values(doc.decisions ?? {}).flatMap((r) => verifyDecisionRecord(r, agentId) ?? []));
    this.publishAgreements();
    this.scheduleAgents();
    const rows = view.intents.map((i) => intentRow(i, (x) => this.vault.seal(x)));
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
      .filter((r) => { const rec = this.recordOf(r); return !!rec && matches(rec, f, now); })
      .limit(this.limit)
      .toArray();
    if (generation !== this.listGeneration) return;
    app.intents = rows.map((r) => this.recordOf(r)!).sort(byNewest);
    app.totalMatches = rows.length < this.limit ? rows.length : await this.countMatches(f, now);
  }

  private async countMatches(f: IntentFilter, now: number): Promise<number> {
    const unfiltered = !f.text && !f.kind && !f.category && !f.area && !f.includeClosed;
    const open = this.db.intents.where('status').equals('open');
    return open
      .filter((r) => {
        const rec = this.recordOf(r);
        return !!rec && (unfiltered ? rec.expires === undefined || rec.expires > now : matches(rec, f, now));
      })
      .count();
  }

  /** A sealed row is read only with the data key, and only if the viewer may see that audience. */
  private recordOf(r: IntentRow): Intent | null {
    if (r.record) return r.record;
    if (!r.sealed || !this.vault.dek) return null;
    try {
      const rec = this.vault.open<Intent>(r.sealed);
      return rec.author === this.me?.agentId || app.trust?.gates['view-members'].allowed ? rec : null;
    } catch {
      return null;
    }
  }

  async findIntent(key: string): Promise<Intent | undefined> {
    const row = await this.db.intents.get(key);
    return row ? (this.recordOf(row) ?? undefined) : undefined;
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
    app.trust = this.trustBook.compute(this.perspective, this.thresholds, this.sanctuaryTier, Date.now());
    // The sanctuary tier is a steward's signed setting, judged with the scores just computed.
    const tier = this.sanctuary?.tier(this.readerContext()) ?? 'steward';
    if (tier !== this.sanctuaryTier) {
      this.sanctuaryTier = tier;
      app.trust = this.trustBook.compute(this.perspective, this.thresholds, tier, Date.now());
    }
    this.alerts?.publish();
    this.sanctuary?.schedule();
    void this.vault.put('trustView', app.trust);
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
      await this.vault.put('anchors', this.perspective.anchors);
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

  private phoneLibrary?: PhoneLibrary;

  /** The community library on this phone (null before an identity exists, and in the decoy). */
  get library(): PhoneLibrary | null {
    if (!this.me || app.decoy) return null;
    this.phoneLibrary ??= new PhoneLibrary(this.db, this.vault, this.me);
    return this.phoneLibrary;
  }

  private async startMessenger(): Promise<void> {
    this.messenger = new Messenger(this.me!, this.secrets);
    await this.messenger.load();
    this.messenger.start();
    await this.startAlerts();
  }

  // ---- Rapid response and sanctuary (issue 8) ----
  private alerts?: AlertWatch;
  /** Which tier may see and print sanctuary entries, from the stewards' signed setting. */
  private sanctuaryTier: SanctuaryTier = 'steward';

  private async startAlerts(): Promise<void> {
    this.alerts?.stop();
    this.alerts = new AlertWatch(this.me!, this.secrets, () => {
      const id = this.community?.doc()?.id;
      return id ? { communityId: id, trust: this.readerContext() } : null;
    });
    await this.alerts.load();
    this.alerts.start();
    this.sanctuary = new SanctuaryDesk({
      me: this.me!,
      repo: () => this.startRepo(),
      community: () => this.community,
      context: () => this.readerContext(),
      amSteward: () => app.trust?.gates.steward.allowed ?? false,
      // Every member's feed is here, so my scores (and who is entitled) are not missing anyone's vouches.
      feedsLoaded: () => Object.keys(app.members).every((id) => this.feeds.get(id)?.doc()?.owner === id),
    });
  }

  private sanctuary?: SanctuaryDesk;

  private sanctuaryGate(action: 'steward' | 'print-sanctuary'): void {
    const gate = app.trust?.gates[action];
    if (!gate?.allowed) throw new UserError(gate?.reason ?? 'error.notReady');
  }

  async setUpSanctuary(tier: SanctuaryTier, checkInDays: number): Promise<void> {
    this.sanctuaryGate('steward');
    await this.sanctuary!.setUp(tier, checkInDays);
    await this.bumpPending();
  }

  async saveSanctuaryEntry(plain: SanctuaryEntryPlain, prevId?: string): Promise<void> {
    this.sanctuaryGate('steward');
    try {
      this.sanctuary!.saveEntry(plain, prevId);
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (code === 'no-key') throw new UserError('sanctuary.error.noKey');
      throw err;
    }
  }

  verifySanctuaryEntry(entryId: string): void {
    this.sanctuaryGate('steward');
    this.sanctuary!.verify(entryId);
  }

  printSanctuary(opts: Omit<PrintOptions, 'now'>) {
    this.sanctuaryGate('print-sanctuary');
    return this.sanctuary!.printSheet(opts);
  }

  /** Current public offers and needs for the printed noticeboard (all of them, not one page). */
  async noticeboard(area?: string) {
    const rows = await this.db.intents.where('status').equals('open').toArray();
    // Sealed rows are not public: the board lists public posts only.
    return SanctuaryDesk.noticeboard(rows.flatMap((r) => (r.record ? [r.record] : [])), area);
  }

  /** My own view of everyone, for judging their alerts and sanctuary records (I score 1 in it). */
  readerContext(): TrustContext {
    const me = this.me?.agentId;
    const scores = new Map((app.trust?.people ?? []).map((p) => [p.agentId, p.score]));
    return { scores: { score: (id) => (id === me ? 1 : (scores.get(id) ?? 0)) }, thresholds: this.thresholds, sanctuaryTier: this.sanctuaryTier };
  }

  async raiseAlert(input: AlertInput): Promise<void> {
    const gate = app.trust?.gates['raise-alert'];
    if (!gate?.allowed) throw new UserError(gate?.reason ?? 'error.notReady');
    try {
      await this.alerts!.raise(input);
    } catch (err) {
      const code = (err as { code?: string }).code;
      throw code ? new UserError(`alerts.error.${code}`) : err;
    }
  }

  async answerAlert(alertId: string, act: FollowUpAct): Promise<void> {
    await this.alerts!.answer(alertId, act);
  }
  // ---- end issue 8 ----

  /** The box key a member published in their signed profile: where messages to them are sealed. */
  recipient(agentId: string): { agentId: string; boxKey: string; name: string } | undefined {
    const m = this.community ? readCommunity(this.community.doc(), this.communityHistory).members[agentId] : undefined;
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

  private decisionRecords = new Map<string, DecisionRecord[]>();
  private decisionsDesk?: DecisionsDesk;

  /** Community decisions: every member's signed records, read into where each decision stands. */
  get decisions(): DecisionsDesk {
    this.decisionsDesk ??= new DecisionsDesk(this.me!, async (rec) => {
      this.feed!.change((d) => {
        d.decisions ??= {};
        d.decisions[rec.id] = rec;
      });
      await this.bumpPending();
    });
    return this.decisionsDesk;
  }

  /** Every verified proposal, commitment and hand-over, for the detail pages of the posts they concern. */
  private publishAgreements(): void {
    app.decisions = [...decisionState([...this.decisionRecords.values()].flat(), Date.now()).values()].sort((a, b) => b.created - a.created);
    const views = [...this.views.values()];
    app.agreements = {
      proposals: views.flatMap((v) => v.proposals),
      commitments: views.flatMap((v) => v.commitments),
      events: views.flatMap((v) => v.events),
    };
  }

  /** Agents rerun a moment after the docs settle (a bridge brings changes in bursts). */
  scheduleAgents(delayMs = 1500): void {
    clearTimeout(this.agentsTimer);
    this.agentsTimer = setTimeout(() => void this.runAgentsNow(), delayMs);
  }

  private async runAgentsNow(): Promise<void> {
    if (!this.me || !this.community || app.decoy) return;
    const doc = this.community.doc();
    const enabled = ((await this.db.getSetting<AgentName[]>('agentsEnabled')) ?? [...AGENT_NAMES]).filter((n) => AGENT_NAMES.includes(n));
    app.agentsEnabled = enabled;
    const declined = (await this.vault.get<string[]>('declined')) ?? [];
    const vouchesBy = new Map<string, typeof this.trustBook.vouches>();
    for (const v of this.trustBook.vouches) vouchesBy.set(v.from, [...(vouchesBy.get(v.from) ?? []), v]);
    const members = Object.entries(doc.members)
      .filter(([id, m]) => validMember(id, m) && this.views.has(id))
      .map(([id, m]) => {
        const v = this.views.get(id)!;
        return { agentId: id, name: m.profile.name, joined: m.joined, intents: v.intents, events: v.events, proposals: v.proposals, commitments: v.commitments, vouches: vouchesBy.get(id) ?? [], decisions: this.decisionRecords.get(id) ?? [] };
      });
    // Plain data only crosses to the worker (Automerge hands out its own objects).
    const input = JSON.parse(
      JSON.stringify({
        viewer: this.me.agentId,
        now: Date.now(),
        community: { id: doc.id, name: doc.name, categories: doc.categories, areas: doc.areas, thresholds: this.thresholds },
        members,
        declined,
        seeTrusted: !!app.trust?.gates['view-members'].allowed,
        budget: 200_000,
      }),
    );
    const report = await this.agents.run({ input, enabled });
    app.suggestions = report.proposals.slice(0, 100);
    app.agentRuns = report.runs;
  }

  /** What the island's relay proposes for everyone (public records only); none when it cannot be reached. */
  async islandSuggestions(): Promise<AgentProposal[]> {
    const id = this.community?.doc().id;
    if (!id || app.decoy) return [];
    const res = await fetch(withCommunity(Route.suggestions, id), { cache: 'no-store' }).catch(() => undefined);
    if (!res?.ok) return [];
    const body = (await res.json().catch(() => null)) as { proposals?: AgentProposal[] } | null;
    return Array.isArray(body?.proposals) ? body.proposals.slice(0, 50) : [];
  }

  /**
   * Discovery: a search that travels to islands this one is not connected to. The relay answers from its
   * own island at once; other islands answer when a bridge has carried the query there and back.
   */
  async search(input: { text: string; kind?: 'offer' | 'need'; category?: string; area?: string }): Promise<string> {
    const { DiscoveryError } = await import('../core/discovery/index.ts');
    const { askIslands, DiscoveryHttpError } = await import('../core/discovery/client.ts');
    let query;
    try {
      query = await askIslands('', fetch, { text: input.text, kind: input.kind, category: input.category, area: input.area }, Date.now(), this.me);
    } catch (err) {
      if (err instanceof DiscoveryError) throw new UserError(`search.${err.code}`);
      if (err instanceof DiscoveryHttpError) throw new UserError(err.status === 429 ? 'search.rate-limited' : 'search.bad-shape');
      throw new UserError('error.relayUnreachable');
    }
    app.searches = [{ id: query.id, text: query.text, created: query.created, expires: query.expires }, ...app.searches.filter((x) => x.expires > Date.now())].slice(0, 10);
    await this.vault.put('searches', app.searches);
    return query.id;
  }

  async searchAnswers(id: string): Promise<IslandAnswer[]> {
    const { islandAnswers } = await import('../core/discovery/client.ts');
    return (await islandAnswers('', fetch, id).catch(() => undefined)) ?? [];
  }

  async setAgentEnabled(name: AgentName, on: boolean): Promise<void> {
    const now = new Set(app.agentsEnabled);
    if (on) now.add(name);
    else now.delete(name);
    app.agentsEnabled = AGENT_NAMES.filter((n) => now.has(n));
    await this.db.setSetting('agentsEnabled', app.agentsEnabled);
    this.scheduleAgents(0);
  }

  /** Declined suggestions are remembered (sealed) and never shown again. */
  async decline(p: AgentProposal): Promise<void> {
    const declined = new Set((await this.vault.get<string[]>('declined')) ?? []);
    declined.add(p.id);
    await this.vault.put('declined', [...declined]);
    app.suggestions = app.suggestions.filter((x) => x.id !== p.id);
  }

  /**
   * Accepting a match as the one in need asks the giver: a Proposal answering their offer, naming my need.
   * Nothing is agreed until the giver confirms it (a Commitment on their phone).
   */
  async acceptMatch(p: AgentProposal): Promise<'asked' | 'not-mine'> {
    const [offerKey, needKey] = this.matchKeys(p);
    const offer = offerKey && (await this.findIntent(offerKey));
    const need = needKey && (await this.findIntent(needKey));
    if (!offer || !need) throw new UserError('agents.gone');
    if (need.author !== this.me?.agentId) return 'not-mine';
    await this.propose(offer, need, '');
    await this.decline(p); // handled: not suggested again
    return 'asked';
  }

  /** GovernanceCircle's next steps: the facilitator's round or outcome is written at once; answers are on the Decisions page. */
  async acceptGovernance(p: AgentProposal): Promise<'done' | 'open-page'> {
    const s = app.decisions.find((d) => d.key === p.subjects[0]);
    if (!s) throw new UserError('agents.gone');
    if (p.kind === 'open-consent-round' && s.facilitator === this.me?.agentId) await this.decisions.openRound(s);
    else if (p.kind === 'record-outcome' && s.facilitator === this.me?.agentId && p.summaryKey.endsWith('.adopted')) await this.decisions.outcome(s, 'adopted');
    else return 'open-page';
    await this.decline(p);
    return 'done';
  }

  /** Matchmaker subjects are intent ids; intent ids are unique per author, so find each author. */
  private matchKeys(p: AgentProposal): [string | undefined, string | undefined] {
    const find = (id: string) => {
      for (const [author, v] of this.views) if (v.intents.some((i) => i.id === id)) return `${author}/${id}`;
      return undefined;
    };
    return [find(p.subjects[0]), find(p.subjects[1])];
  }

  async propose(offer: Intent, need: Intent | undefined, note: string): Promise<void> {
    const rec = createProposal(this.me!, offer, need, note, Date.now());
    this.feed!.change((d) => {
      d.proposals[rec.id] = rec;
    });
    await this.bumpPending();
  }

  async confirmProposal(offer: Intent, proposalId: string): Promise<void> {
    const proposal = app.agreements.proposals.find((x) => x.id === proposalId);
    if (!proposal) throw new UserError('agents.gone');
    const rec = createCommitment(this.me!, offer, proposal, Date.now());
    this.feed!.change((d) => {
      d.commitments[rec.id] = rec;
    });
    await this.bumpPending();
  }

  /** The giver records the hand-over of a commitment: an EconomicEvent that fulfills it. */
  async handOver(offer: Intent, commitmentId: string): Promise<void> {
    const c = app.agreements.commitments.find((x) => x.id === commitmentId && x.provider === this.me?.agentId);
    if (!c) throw new UserError('agents.gone');
    const now = Date.now();
    this.writeFeed(recordHandOver(this.me!, offer, c.receiver, '', now, c.id));
    this.writeFeed(setIntentStatus(this.me!, offer, 'fulfilled', now));
    await this.bumpPending();
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
