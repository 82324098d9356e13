import type { AutomergeUrl } from '@automerge/automerge-repo/slim';
import { exportIdentity, importIdentity, type Identity, type StoredIdentity } from '../core/crypto/keys.ts';
import { communityRecords, createProfile, memberEntries, memberEntry, newFeedDoc, validMember } from '../core/model/community.ts';
import type { FeedDoc } from '../core/model/types.ts';
import { decodeInvite } from '../core/protocol/invite.ts';
import { Agents } from './agents.ts';
import { emptyAlerts, type AlertWatch, type AlertsState } from './alerts.ts';
import { emptyCarry, type Carrier, type CarryState } from './carry.ts';
import { Board } from './board.ts';
import { SealedRows } from './sealed-rows.ts';
import { Community, PINNED_FOUNDER, PINNED_RETIREMENT } from './community.ts';
import { DecisionsDesk, sealedDecisionWriter } from './decisions.ts';
import type { Keyring } from '../core/audience/types.ts';
import { Discovery } from './discovery.ts';
import { PhoneDocs } from './docs.ts';
import { UserError } from './errors.ts';
import { Intents } from './intents.ts';
import { PhoneLibrary } from './library.ts';
import type { LocalStore } from './local-store.ts';
import type { MembersKey } from './members-key.ts';
import { emptyMessages, type Messenger, type MessagesState } from './messages.ts';
import { emptyRequests, type RequestsState } from './requests.ts';
import type { Platform, SyncCredentials } from './ports.ts';
import type { SanctuaryDesk, SanctuaryState } from './sanctuary.ts';
import { PersonalModules } from './personal-modules.ts';
import { Session } from './session.ts';
import { Store } from './store.ts';
import { SyncStatus } from './sync-status.ts';
import { Trust } from './trust.ts';
import { CommunitySettingsEditor, libraryFileBytes } from './community-settings.ts';
import { decoyTrust, decoyView } from './decoy-view.ts';
import { PhoneVault, type SecretStore } from './vault.ts';
import { connectedHubKey, fetchRelayInfo } from './relay-info.ts';
import { joinTarget } from './join-target.ts';
import { RecordForm } from './record-form.ts';
import { JoinPreparation } from './join-preparation.ts';
import { answeredWithin } from './relay-deadline.ts';

export interface JoinOptions {
  pin?: string;
  duressPin?: string;
  /** A key backup to restore the identity from (its feed and vouches stay its own). */
  backup?: { text: string; passphrase: string };
}

/**
 * The phone without its screens: builds every feature module over the platform's pieces and runs the
 * life of the phone — start, unlock (or the decoy), join, open the docs. Screens call the modules; each
 * module's state is a Store the Svelte side mirrors for rendering.
 */
export class PhoneClient {
  readonly vault: PhoneVault;
  readonly session: Session;
  readonly sync: SyncStatus;
  readonly docs: PhoneDocs;
  readonly trust: Trust;
  readonly community: Community;
  readonly board: Board;
  readonly intents: Intents;
  readonly agents: Agents;
  readonly discovery: Discovery;
  readonly communitySettings: CommunitySettingsEditor;
  readonly form: RecordForm; // how the public records it writes are stored (record-form.ts)
  readonly preparation: JoinPreparation; // keys and repo code made while a newcomer answers (join-preparation.ts)
  private booting: Promise<void> | undefined; // the one start (boot), which a join waits for
  /** Per-identity modules keep these, so one subscription lasts across a join or an unlock. */
  readonly messagesState = new Store<MessagesState>(emptyMessages());
  readonly alertsState = new Store<AlertsState>(emptyAlerts());
  readonly sanctuaryState = new Store<SanctuaryState>({ sanctuary: null });
  readonly requestsState = new Store<RequestsState>(emptyRequests());
  readonly carryState = new Store<CarryState>(emptyCarry());
  /** My own sealed state's modules, made anew for each identity. */
  private readonly personal: PersonalModules;
  private libraryModule?: PhoneLibrary;
  private decisionsModule?: DecisionsDesk;
  /** Secrets kept on this phone (identity, names, trust, messages): sealed under the data key. */
  private readonly secrets: SecretStore;
  /** The key and community a phone that is joining signs its first sync session with. */
  private joining?: SyncCredentials;

  constructor(
    private readonly platform: Platform,
    private readonly local: LocalStore,
  ) {
    platform = this.platform = { ...platform, relay: answeredWithin(platform.relay) }; // no queue waits on a request to the hub forever
    const vault = (this.vault = new PhoneVault(local));
    this.secrets = { get: (k) => vault.get(k), put: (k, v) => vault.put(k, v) };
    const me = () => this.session.me;
    this.session = new Session(vault, local.settings, platform.page, platform.device, () => this.docs.settle());
    const credentials = () => {
      const self = this.session.me;
      return self && this.docs.communityUrl ? { identity: self, communityUrls: [this.docs.communityUrl] } : this.joining;
    };
    this.docs = new PhoneDocs(platform.openRepo, credentials, (link) => {
      link.onPeer(() => {
        this.sync.linkUp();
        void this.personal.messenger?.sync();
        // Maybe another island's relay at the same address: hand in what is carried, take what it has.
        this.personal.carrier?.linkUp();
      });
      link.onDisconnect(() => this.sync.linkDown());
      link.onRefused(() => this.sync.refusedFromHub());
    });
    this.sync = new SyncStatus(local.settings, platform.relay, platform.device, () => ({ repo: this.docs.repo, handles: this.docs.written() }));
    const wrote = () => this.sync.bump();
    this.preparation = new JoinPreparation(platform.page.afterPaint, platform.prepareRepo);
    this.form = new RecordForm({ community: () => this.docs.community?.doc(), signed: () => this.community.signed, hubKey: () => connectedHubKey(platform.relay) });
    this.trust = new Trust({
      me,
      community: () => this.docs.community,
      feed: () => this.docs.feed,
      feedOpen: () => this.docs.feedOpen(),
      secrets: this.secrets,
      follow: (id, url) => void this.community.follow(id, url),
      wrote,
      sanctuaryTier: (ctx) => this.personal.sanctuary?.tier(ctx) ?? 'steward',
      stewards: () => this.community.signed?.stewards.filter((id) => this.community.signed?.members[id]) ?? [],
      recomputed: () => {
        this.personal.alerts?.publish();
        this.personal.sanctuary?.schedule();
        this.personal.membersKey?.schedule();
      },
      membersKeys: () => this.personal.membersKey?.keyring() ?? new Map(),
      stored: (r) => this.form.stored(r),
    });
    const seeMembers = () => !!this.trust.gate('view-members')?.allowed;
    const sealedRows = new SealedRows(vault);
    this.board = new Board(local.intents, vault, { me: () => me()?.agentId, seeMembers }, sealedRows);
    this.community = new Community(this.docs, local.intents, vault, this.trust, {
      me: () => me()?.agentId,
      identity: me,
      wrote,
      feedRead: async () => {
        this.agents.schedule();
        await this.board.refresh();
      },
      signatureCheck: () => platform.signatureCheck(),
      relay: platform.relay,
      membersKeys: () => {
        const keys = this.personal.membersKey;
        return keys && !keys.keysKnown ? undefined : (keys?.keyring() ?? new Map());
      },
    }, sealedRows);
    this.intents = new Intents({ me, feed: () => this.docs.feed, feedOpen: () => this.docs.feedOpen(), gate: (a) => this.trust.gate(a), agreements: () => this.community.state.state.agreements,
      mine: () => this.community.state.state.mine,
      wrote,
      stored: (r) => this.form.stored(r),
      membersKeys: () => this.settledMembersKeys(),
      intentOf: (author, id) => this.community.views.get(author)?.intents.find((i) => i.id === id),
    });
    this.agents = new Agents(this.community, this.intents, {
      me,
      community: () => this.docs.community?.doc(),
      decoy: () => this.session.state.state.decoy,
      seeTrusted: seeMembers,
      vouches: () => this.trust.book.vouches,
      thresholds: () => this.trust.thresholds,
      findIntent: (key) => this.board.find(key),
      decisions: () => this.decisions,
      relay: platform.relay,
      settings: local.settings,
      secrets: this.secrets,
      run: platform.runAgents,
    });
    this.discovery = new Discovery(platform.relay, this.secrets, me);
    this.communitySettings = new CommunitySettingsEditor({ me, communityOpen: () => this.docs.communityOpen(), signed: () => this.community.signed, wrote, keepInviteSecret: (secret) => this.community.keepInviteSecret(secret), hubKey: () => connectedHubKey(platform.relay) });
    const states = { messages: this.messagesState, requests: this.requestsState, alerts: this.alertsState, sanctuary: this.sanctuaryState, carry: this.carryState };
    this.personal = new PersonalModules({ platform, trust: this.trust, community: this.community, docs: this.docs, vault, sync: this.sync, secrets: this.secrets, carried: local.carried, states });
  }

  /** Every module's state, for a renderer to mirror (each is a Store of plain fields). */
  stores(): Array<Store<object>> {
    return [this.session.state, this.sync.state, this.community.state, this.board.state, this.trust.state, this.agents.state, this.discovery.state, this.messagesState, this.alertsState, this.sanctuaryState, this.requestsState, this.carryState] as Array<Store<object>>;
  }

  /** The members' keys once a first key had its chance to arrive (what a members-only write waits for). */
  private async settledMembersKeys(): Promise<Keyring> {
    await this.ready(this.personal.membersKey).settledWithKey();
    return this.ready(this.personal.membersKey).keyring();
  }

  private ready<T>(module: T | undefined): T {
    if (!module) throw new UserError('error.notReady');
    return module;
  }

  get messages(): Messenger {
    return this.ready(this.personal.messenger);
  }

  get alerts(): AlertWatch {
    return this.ready(this.personal.alerts);
  }

  /** The members' key (members-only posts): which epochs this phone holds. */
  get membersKey(): MembersKey {
    return this.ready(this.personal.membersKey);
  }

  /** Carrying bundles for other islands (on by default for members). */
  get carry(): Carrier {
    return this.ready(this.personal.carrier);
  }

  get sanctuary(): SanctuaryDesk {
    return this.ready(this.personal.sanctuary);
  }

  /** The community library on this phone (null before an identity exists, and in the decoy). */
  get library(): PhoneLibrary | null {
    const me = this.session.me;
    if (!me || this.session.state.state.decoy) return null;
    this.libraryModule ??= new PhoneLibrary(this.local, this.vault, me, this.platform.relay, () => libraryFileBytes(this.community.signed), { current: () => this.personal.membersKey?.keyring() ?? new Map(), settled: () => this.settledMembersKeys() });
    return this.libraryModule;
  }

  /** Community decisions: every member's signed records, read into where each decision stands. */
  get decisions(): DecisionsDesk {
    const me = this.ready(this.session.me);
    this.decisionsModule ??= new DecisionsDesk(
      me,
      sealedDecisionWriter({
        keyringNow: () => this.ready(this.personal.membersKey).keyring(),
        mayPost: () => !!this.trust.gate('post-offer')?.allowed,
        settledKeyring: () => this.settledMembersKeys(),
        feedOpen: () => this.docs.feedOpen(),
        bump: () => this.sync.bump(),
      }),
    );
    return this.decisionsModule;
  }

  /** Starts the phone (welcome, PIN screen, or straight in), once: a join tapped first starts it itself,
   *  and a second start would read the vault mid-join and send a person already in back to welcome. */
  boot(): Promise<void> {
    return (this.booting ??= this.start());
  }

  private async start(): Promise<void> {
    const session = this.session;
    try {
      await this.sync.load();
      await session.loadSafety();
      const kind = await this.vault.kind();
      session.state.set({ lockKind: kind });
      // A newcomer: the repo's code and wasm start coming now, not once the first-run screen's own code has.
      if (kind === 'none') return (this.preparation.start(), session.enter('welcome'));
      if (await session.deadManSwitchDue()) return await session.wipe();
      if (kind === 'pin') return session.enter('locked');
      await this.vault.openDevice();
      await this.afterUnlock();
    } catch (err) {
      console.error(err);
      session.enter('error', 'error.startup');
    }
  }

  /** The PIN screen: the real PIN opens the phone, the duress PIN opens a decoy and shreds the real data. */
  async unlock(pin: string): Promise<void> {
    const outcome = await this.session.unlock(pin);
    if (outcome === 'duress') return this.enterDecoy();
    await this.afterUnlock();
  }

  private async afterUnlock(): Promise<void> {
    const session = this.session;
    await session.noteUnlock();
    session.watchIdle();
    // Read together: one wait on the database instead of five in a row (a cold start waits on each).
    const v = this.vault;
    const [stored, communityUrl, name, anchors, founder] = await Promise.all([v.get<StoredIdentity>('identity'), v.get<string>('communityUrl'), v.get<string>('name'), v.get<string[]>('anchors'), v.get<boolean>('founder')]);
    this.docs.communityUrl = communityUrl;
    if (!stored || !this.docs.communityUrl) return session.enter('welcome');
    session.setMe(importIdentity(stored), name ?? '');
    this.trust.perspective = { viewer: session.me!.agentId, anchors: anchors ?? [], founder: founder ?? false };
    await this.community.restoreCachedView();
    // The list's first page is read from the index while the rest of my state loads (it needs only the data
    // key, who I am and the cached trust view); a page from the index's head is painted before the rest is read.
    let ready!: () => void;
    const shown = new Promise<void>((resolve) => (ready = resolve)).then(this.platform.page.afterPaint);
    const listed = this.board.refresh(() => shown);
    listed.catch(() => undefined); // awaited below; a failure surfaces there, not as an unhandled rejection meanwhile
    await this.trust.loadPendingNotes();
    await this.discovery.load();
    await this.personal.start(session.me!);
    session.enter('ready');
    ready();
    // Paint the list from the index first; loading Automerge (JS + wasm) competes for the CPU.
    await listed;
    await shown;
    await this.openDocs();
  }

  /**
   * After the duress PIN: the lock record is already shredded (the real PIN now fails); the secrets and
   * the docs go; what stays is the public noticeboard, shown like the real app with nobody's data.
   */
  private async enterDecoy(): Promise<void> {
    const profile = await this.vault.decoyProfile();
    const decoyKey = this.vault.decoyKey;
    await this.vault.shredSecrets();
    await this.platform.page.deleteDocs();
    this.session.state.set({ decoy: true });
    // The decoy looks like this person's app (decoy-view.ts), with the hub's status.
    if (decoyKey) {
      this.vault.dek = decoyKey;
      const communityName = profile?.communityName ?? '';
      const { me, invite } = decoyView(decoyKey, communityName);
      this.session.setMe(me, profile?.name ?? '');
      this.community.state.set({ communityName, invite });
    }
    this.trust.state.set({ trust: decoyTrust(Date.now()) });
    this.session.enter('ready');
    void fetchRelayInfo(this.platform.relay).then((info) => (info ? this.sync.linkUp() : undefined));
    await this.board.refresh();
  }

  /** Creates the identity, joins the community (invite or the relay's default) and makes my feed. */
  async join(name: string, inviteText: string, opts: JoinOptions = {}): Promise<void> {
    await this.boot(); // a first visit asks before this code arrives (main.ts): the start reads the vault the join writes
    this.preparation.joined();
    const { pin = '', duressPin = '', backup } = opts;
    let trimmed = name.trim();
    const person = backup?.text.trim() ? await this.session.readBackup(backup.text, backup.passphrase) : undefined;
    const restored = person?.identity;
    const standing = person?.standing ?? null;
    if (!trimmed && !restored) throw new UserError('error.nameRequired');
    if (trimmed.length > 60) throw new UserError('error.tooLong');
    if (pin && pin.trim().length < 4) throw new UserError('lock.tooShort');
    if (duressPin && (!pin || duressPin === pin)) throw new UserError('lock.same');
    const invite = inviteText.trim() ? decodeInvite(inviteText) : null;
    if (inviteText.trim() && !invite) throw new UserError('error.badInvite');
    // My keys, made once: a hub open to newcomers is asked for its community as me (join-target.ts).
    let made = restored;
    const identity = (): Identity => (made ??= this.preparation.identity());
    const { url, founder: pinnedFounder, retirement: pinnedRetirement } = await joinTarget(this.platform.relay, invite, standing, identity);
    if (!this.vault.dek) await this.session.createLock(pin, duressPin);
    const me = identity();
    // A member needs no invite at the next connection (membership admits them); a newcomer does.
    this.joining = { identity: me, communityUrls: [url], ...(invite?.secret ? { inviteSecrets: { [url]: invite.secret } } : {}) };
    const repo = await this.docs.start(this.vault.dek);
    const community = await this.docs.findCommunity(repo, url);
    await this.community.primer.records(communityRecords(community.doc())); // native checks, then the ones below hit the cache
    const members = memberEntries(community.doc());
    const mine = validMember(me.agentId, members[me.agentId]) ? members[me.agentId] : undefined;
    if (!(trimmed ||= mine?.profile.name ?? '')) throw new UserError('error.nameRequired');
    this.community.previewMembers(community.doc(), { founder: pinnedFounder, retirement: pinnedRetirement }, me.agentId);
    // The first member founds the community; anyone else starts out seeing it through whoever invited them.
    // A restored person keeps where they stood: the anchors and founding their backup carries.
    const founder = (standing?.founder ?? false) || !Object.entries(members).some(([id, m]) => id !== me.agentId && validMember(id, m));
    const anchors = [...new Set([...(standing?.anchors ?? []), ...(invite?.inviter ? [invite.inviter] : [])])];
    this.trust.perspective = { viewer: me.agentId, anchors, founder };
    // A restored identity keeps its feed: its posts and vouches stay theirs.
    const feed = mine ? await repo.find<FeedDoc>(mine.feedUrl as AutomergeUrl) : repo.create<FeedDoc>(newFeedDoc(me.agentId, community.doc().id));
    const now = Date.now();
    if (!mine) {
      const entry = this.form.stored(memberEntry(me, createProfile(me, trimmed, now), community.doc().id, feed.url, now), community.doc());
      community.change((d) => void (d.members[me.agentId] = entry));
    }
    // One write: a join cut short between two of these would start next time with a community but no feed.
    await this.vault.putAll({ anchors, founder, identity: exportIdentity(me), name: trimmed, communityUrl: url, feedUrl: feed.url, [PINNED_FOUNDER]: pinnedFounder || undefined, [PINNED_RETIREMENT]: pinnedRetirement || undefined });
    this.docs.communityUrl = url;
    this.session.setMe(me, trimmed);
    await this.trust.loadPendingNotes();
    await this.personal.start(me);
    await this.sync.bump();
    this.session.enter('ready');
    await this.openDocs();
  }

  /** Sets or changes the PIN (and duress PIN); the decoy will show my name and the community's. */
  async setPin(pin: string, duressPin: string): Promise<void> {
    const me = this.session.state.state.me;
    await this.session.setPin(pin, duressPin, { name: me?.name ?? '', communityName: this.community.state.state.communityName });
  }

  /** The backup a person can come back whole from: keys, community, anchors, whether they founded it, the founder and retirement pinned. */
  async exportBackup(passphrase: string): Promise<string> {
    const p = this.trust.perspective;
    const { founder: pinnedFounder, retirement: pinnedRetirement } = this.community.pinned;
    const pins = { ...(pinnedFounder ? { pinnedFounder } : {}), ...(pinnedRetirement ? { pinnedRetirement } : {}) };
    return this.session.exportBackup(passphrase, { communityUrl: this.docs.communityUrl ?? null, anchors: [...(p?.anchors ?? [])], founder: p?.founder ?? false, ...pins });
  }

  private async openDocs(): Promise<void> {
    await this.community.open();
    this.docs.openDone();
    for (const h of this.docs.written()) h.on('remote-heads', () => this.sync.check());
    // The relay may have acknowledged our writes before these listeners existed (right after joining).
    this.sync.check();
  }

  /** Stops every timer (tests, and a phone without a browser, end cleanly). */
  stop(): void {
    this.personal.stop();
    this.agents.stop();
    this.sync.stop();
    this.session.stop();
  }
}
