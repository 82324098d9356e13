import type { AutomergeUrl, DocHandle, Repo } from '@automerge/automerge-repo/slim';
import type { Identity } from '../core/crypto/keys.ts';
import { signRecord, verifyRecord } from '../core/crypto/sign.ts';
import { memberEntries, validMember } from '../core/model/community.ts';
import { plainScalars } from '../core/model/scalar-strings.ts';
import type { CommunityDoc, MemberEntry, SanctuaryDoc, SanctuarySettings, TrustThresholds, Vouch } from '../core/model/types.ts';
import {
  buildKeyring,
  collectEntries,
  communityContext,
  createEntry,
  createVerification,
  currentKey,
  editEntry,
  entitledMembers,
  newSanctuaryKey,
  printList,
  replacedKeys,
  retiredEnvelopes,
  sanctuaryDuties,
  supersededKeys,
  versionKey,
  sealKeyEnvelope,
  SanctuaryInputError,
  visibleEntries,
  type CommunityTrust,
  type Keyring,
  type PrintOptions,
  type PrintSheet,
  type SanctuaryEntryPlain,
  type SanctuaryEntryRecord,
  type SanctuaryKeyEnvelope,
  type VisibleEntry,
} from '../core/sanctuary/index.ts';
import { can, type Decision, type SanctuaryTier, type TrustContext } from '../core/trust/index.ts';
import { OPEN_WAIT_MS } from './docs.ts';
import { UserError } from './errors.ts';
import { Store } from './store.ts';
import { waitAtMost } from './wait-at-most.ts';
import { signedProfile } from './signed-profile.ts';
import type { PersonTrust } from './trust-book.ts';
import { VouchGraphSettled, type FeedsProgress } from './vouch-graph-settled.ts';

const DAY = 24 * 3600e3;
export const DEFAULT_CHECK_IN_DAYS = 30;

/** What the sanctuary screens render. Entries are empty unless my 'see-sanctuary' gate is open. */
export interface SanctuaryView {
  /** A steward's valid sanctuary setting is in the community doc. */
  exists: boolean;
  tier: SanctuaryTier;
  checkInDays: number;
  /** Epochs of the keys this phone holds (none: it cannot read anything). */
  epochs: number[];
  /** The newest epoch any envelope in the community doc is for. */
  latestEpoch: number | null;
  entries: VisibleEntry[];
  /** Entries (of any kind) this phone could open with its keys, before the gate: for diagnostics. */
  readable: number;
  /** Records refused (forged, not by a steward, no key…). */
  rejected: number;
  /** Entries sealed with a key this phone does not hold (yet): an organiser's phone brings it. */
  missingKey: number;
  /** Stewards in my own view (or, if I know none, the members I trust), for sanctuary requests. */
  stewards: string[];
  /** Rotations this phone performed (a member lost the tier). */
  rotations: number;
  /** As the community sees me (its shared, signed data, the same on every phone): may I keep the list, see it, print it. */
  organiser: boolean;
  canSee: boolean;
  canPrint: boolean;
}

/** The shared, signed data every phone judges the sanctuary by (as the members' key does, client/members-key.ts). */
export interface SharedTrust {
  vouches: readonly Pick<Vouch, 'from' | 'to' | 'strength'>[];
  /** The signed steward set (key issuers). */
  stewards: readonly string[];
  members: Record<string, MemberEntry>;
  thresholds: TrustThresholds;
  /** Members the organisers removed (signed `removed` setting): they score nothing, issue nothing. */
  removed?: Readonly<Record<string, number>>;
}

export interface SanctuaryState {
  /** Sanctuary entries I can open, keys I hold, and what a steward's phone has to do; null before the doc. */
  sanctuary: SanctuaryView | null;
}

/** What the sanctuary needs from the rest of the phone. */
export interface SanctuaryHost extends FeedsProgress {
  me: Identity;
  repo(): Promise<Repo>;
  community(): DocHandle<CommunityDoc> | undefined;
  /** The community doc once the docs are open, waiting for them after a start (undefined if they never open). */
  communityOpen(): Promise<DocHandle<CommunityDoc> | undefined>;
  /** My own view of everyone (I score 1), with the community's thresholds: only until the shared data is loaded. */
  context(): TrustContext;
  /** Vouches, signed stewards, members and thresholds as every phone reads them; null before the community is read. */
  shared(): SharedTrust | null;
  /** Everyone I trust, best first (from my trust view). */
  people(): PersonTrust[];
  /** One of my own gates; undefined before trust is first computed. */
  gate(action: 'steward' | 'print-sanctuary' | 'see-sanctuary'): Decision | undefined;
  /** A write reached a doc the relay has to take (the pending count). */
  wrote(): Promise<void>;
}


/**
 * The signed sanctuary setting, or null when absent, malformed or forged. Its tier is honoured only
 * when its author is a steward in my view (see effectiveTier); the doc it points to is read either way,
 * since every entry in it must be signed by a steward in my view anyway.
 */
export function settingsOf(doc: CommunityDoc | undefined): SanctuarySettings | null {
  const s = doc?.sanctuary as Partial<SanctuarySettings> | undefined;
  if (!s || s.type !== 'sanctuary-settings' || typeof s.url !== 'string' || !s.url.startsWith('automerge:')) return null;
  if ((s.tier !== 'steward' && s.tier !== 'trusted') || !Number.isInteger(s.checkInDays) || s.checkInDays! < 1 || s.checkInDays! > 365) return null;
  return typeof s.author === 'string' && verifyRecord(s) ? (s as SanctuarySettings) : null;
}

/** Who may see the sanctuary: the setting's tier if a steward in my view set it, else stewards only. */
export function effectiveTier(s: SanctuarySettings | null, ctx: TrustContext): SanctuaryTier {
  return s && can(ctx, s.author, 'steward').allowed ? s.tier : 'steward';
}

/**
 * The sanctuary on this phone: reads the sealed entries it holds keys for, and — on a steward's phone —
 * keeps the key envelopes current: a member who reached the tier gets the current key; when a holder
 * of the current key has lost the tier, it rotates (new epoch, envelopes for the entitled, every entry
 * re-sealed), so the former member cannot read anything written from then on.
 */
export class SanctuaryDesk {
  private handle?: DocHandle<SanctuaryDoc>;
  private keyring: Keyring = new Map();
  private queued = false;
  private stopped = false;
  /** The next refresh while the vouch graph is not settled yet. */
  private retry?: ReturnType<typeof setTimeout>;
  private running: Promise<void> = Promise.resolve();
  private rotations = 0;
  private readonly graph: VouchGraphSettled;
  constructor(
    private readonly host: SanctuaryHost,
    /** Passed in so whoever renders it keeps one subscription across identities. */
    readonly state = new Store<SanctuaryState>({ sanctuary: null }),
  ) {
    this.graph = new VouchGraphSettled(host);
  }

  /**
   * Who is an organiser, who is entitled and whose keys and entries count: the community's shared view
   * (communityContext over signed data), never this phone's own. Judged from each phone's own view, a
   * second organiser's phone did not count the first one's key, and a member trusted through one chain
   * never got one (issue #17). The tier is the signed setting's when an organiser wrote it.
   */
  private communityTrust(community: CommunityDoc | undefined): { trust: CommunityTrust; settings: SanctuarySettings | null } | null {
    const shared = this.host.shared();
    if (!shared || !community) return null;
    const base = communityContext(shared.vouches, shared.stewards, shared.thresholds, 'steward', undefined, shared.removed);
    const settings = settingsOf(community);
    const tier: SanctuaryTier = settings && base.isSteward(settings.author) ? settings.tier : 'steward';
    return { trust: { ...base, sanctuaryTier: tier }, settings };
  }

  private requireGate(action: 'steward' | 'print-sanctuary'): void {
    const c = this.communityTrust(this.host.community()?.doc());
    const gate = c ? can(c.trust, this.host.me.agentId, action) : this.host.gate(action);
    if (!gate?.allowed) throw new UserError(gate?.reason ?? 'error.notReady');
  }

  /** A steward's "set up": gated, then counted as a pending write. */
  async setUpChecked(tier: SanctuaryTier, checkInDays: number): Promise<void> {
    // Right after a start the community doc may still be opening: wait for it, as a post waits for the feed.
    await this.host.communityOpen();
    this.requireGate('steward');
    await this.setUp(tier, checkInDays);
    await this.host.wrote();
  }

  async saveEntryChecked(plain: SanctuaryEntryPlain, prevId?: string): Promise<void> {
    // Right after a start the community and sanctuary docs may still be opening, and the key is read from
    // them: wait for both, as a set-up waits for the community doc, rather than answer "still loading".
    if (!this.handle || !currentKey(this.keyring)) await this.opened();
    this.requireGate('steward');
    try {
      this.saveEntry(plain, prevId);
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (code === 'no-key') throw new UserError('sanctuary.error.noKey');
      throw err;
    }
  }

  verifyChecked(entryId: string): void {
    this.requireGate('steward');
    this.verify(entryId);
  }

  printChecked(opts: Omit<PrintOptions, 'now'>): PrintSheet {
    this.requireGate('print-sanctuary');
    return this.printSheet(opts);
  }

  /**
   * Waits (at most OPEN_WAIT_MS) for the community doc, then for one refresh: it opens the sanctuary doc
   * and reads this phone's keys from the community's envelopes.
   */
  private async opened(): Promise<void> {
    await this.host.communityOpen();
    const refreshed = (this.running = this.running.then(() => this.refresh()).catch((err) => console.error('sanctuary', err)));
    await waitAtMost(refreshed, OPEN_WAIT_MS);
  }

  /** The tier a valid setting asks for (gates are computed with it); stewards only until one is set. */
  tier(ctx: TrustContext): SanctuaryTier {
    const community = this.host.community()?.doc();
    return this.communityTrust(community)?.trust.sanctuaryTier ?? effectiveTier(settingsOf(community), ctx);
  }

  /** Coalesces bursts (community, trust and sanctuary doc changes) into one refresh. */
  schedule(): void {
    if (this.queued || this.stopped) return;
    this.queued = true;
    setTimeout(() => {
      this.queued = false;
      this.running = this.running.then(() => this.refresh()).catch((err) => console.error('sanctuary', err));
    }, 0);
  }

  /** No refresh after this: one waiting for the vouch graph to settle would otherwise retry for ever. */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.retry);
  }

  private async refresh(): Promise<void> {
    const community = this.host.community()?.doc();
    const shared = this.communityTrust(community);
    if (!community || !shared || this.stopped) return;
    const { trust: ctx, settings } = shared;
    const tier = ctx.sanctuaryTier;
    const me = this.host.me.agentId;
    const mine = { organiser: ctx.isSteward(me), canSee: can(ctx, me, 'see-sanctuary').allowed, canPrint: can(ctx, me, 'print-sanctuary').allowed };
    // Requests go to stewards in my view; a newcomer who knows none yet asks the people they trust most.
    const people = this.host.people();
    const known = people.filter((p) => p.tier === 'steward');
    const stewards = (known.length ? known : people.filter((p) => p.tier === 'trusted')).map((p) => p.agentId);
    if (!settings) {
      this.state.set({ sanctuary: { ...empty(), stewards, ...mine } });
      return;
    }
    const doc = await this.open(settings.url);
    const envelopes = Object.values(community.sanctuaryKeys ?? {});
    this.keyring = buildKeyring(this.host.me, envelopes, (id) => signedProfile(community, id), ctx).keyring;
    const settled = this.graph.settled;
    if (!settled) {
      clearTimeout(this.retry);
      this.retry = setTimeout(() => this.schedule(), 2_000);
    } else if (ctx.isSteward(me) && doc && (await this.stewardDuties(community, doc, ctx))) return; // wrote: a change event follows
    const { entries: decrypted, rejected } = collectEntries(Object.values(doc?.entries ?? {}), this.keyring, ctx);
    const visible = visibleEntries(decrypted, Object.values(doc?.verifications ?? {}), Date.now(), { ctx, checkInPeriodMs: settings.checkInDays * DAY });
    const allowed = mine.canSee;
    this.state.set({ sanctuary: {
      exists: true,
      tier,
      checkInDays: settings.checkInDays,
      epochs: [...this.keyring.keys()].sort((a, b) => a - b),
      latestEpoch: envelopes.reduce<number | null>((m, e) => (Number.isSafeInteger(e?.epoch) && (m === null || e.epoch > m) ? e.epoch : m), null),
      entries: allowed ? visible.entries : [],
      readable: decrypted.length,
      rejected: rejected.length + visible.rejected.length,
      missingKey: rejected.filter((r) => r.reason === 'no-key').length,
      stewards,
      rotations: this.rotations,
      ...mine,
    } });
  }

  private async open(url: string): Promise<SanctuaryDoc | undefined> {
    if (this.handle?.url !== url) {
      const { findEventually } = await import('./find-eventually.ts');
      this.handle = await findEventually<SanctuaryDoc>(await this.host.repo(), url as AutomergeUrl);
      this.handle.on('change', () => this.schedule());
    }
    const doc = this.handle.doc();
    return doc?.type === 'sanctuary' ? doc : undefined;
  }

  /**
   * Returns true when it wrote something. Decided by sanctuaryDuties from shared data only, so organisers
   * who see the same docs decide the same: new keys for the newly entitled, and a rotation once per loss
   * of entitlement (concurrent ones resolve to one epoch; new envelopes carry every older key).
   */
  private async stewardDuties(community: CommunityDoc, doc: SanctuaryDoc, trust: CommunityTrust): Promise<boolean> {
    const shared = this.host.shared();
    if (!shared) return false;
    const r = sanctuaryDuties({
      me: this.host.me,
      trust,
      members: shared.members,
      envelopes: Object.values(community.sanctuaryKeys ?? {}),
      entries: Object.values(doc.entries),
      profileOf: (id) => signedProfile(community, id),
      now: Date.now(),
    });
    const duty = r.duty;
    if (duty.kind !== 'none') {
      // sanctuaryDuties seals every envelope for the 'sanctuary' audience. A rotation's envelopes carry
      // every older key, so the older envelopes (which name who held them) go.
      const rotated = duty.kind === 'rotate' && duty.why !== 'first-key';
      const retired = rotated ? retiredEnvelopes(Object.entries(community.sanctuaryKeys ?? {}), duty.key.epoch, duty.keyring) : [];
      this.writeEnvelopes(duty.envelopes as SanctuaryKeyEnvelope[], retired);
      if (rotated) this.rotations++;
    }
    // After a rotation every entry under the new key; otherwise entries a steward sealed late under an
    // older key, carried into the current one. Versions an accepted newer one supersedes go.
    const superseded = supersededKeys(Object.entries(doc.entries), r.accepted);
    if (r.entries.length > 0 || superseded.length > 0) {
      this.handle!.change((d) => {
        for (const key of superseded) delete d.entries[key];
        for (const e of r.entries) putVersion(d, e);
      });
    }
    this.keyring = r.keyring;
    return duty.kind !== 'none' || r.entries.length > 0 || superseded.length > 0;
  }

  /** Adds envelopes and removes those a rotation retires (retiredEnvelopes). */
  private writeEnvelopes(envelopes: readonly SanctuaryKeyEnvelope[], retired: readonly string[]): void {
    this.host.community()!.change((d) => {
      if (!d.sanctuaryKeys) d.sanctuaryKeys = {};
      for (const id of retired) delete d.sanctuaryKeys[id];
      for (const e of envelopes) d.sanctuaryKeys[e.id] = e;
    });
  }

  /** A steward creates the sanctuary doc, its first key (sealed to every entitled member) and the setting. */
  async setUp(tier: SanctuaryTier, checkInDays: number): Promise<void> {
    const handle = this.host.community();
    const community = handle?.doc();
    if (!handle || !community) throw new SanctuaryInputError('no-key', 'community not loaded');
    const shared = this.communityTrust(community);
    const ctx: TrustContext = shared ? { ...shared.trust, sanctuaryTier: tier } : this.host.context();
    const existing = settingsOf(community);
    const me = this.host.me;
    const now = Date.now();
    let url = existing?.url;
    if (!url) {
      const repo = await this.host.repo();
      url = repo.create<SanctuaryDoc>({ type: 'sanctuary', community: community.id, entries: {}, verifications: {} }).url;
      const key = newSanctuaryKey(1);
      const entitled = entitledMembers(memberEntries(community), ctx.scores, { thresholds: ctx.thresholds, sanctuaryTier: tier });
      this.writeEnvelopes(entitled.map((p) => sealKeyEnvelope(me, key, p, now)), []);
    }
    const settings = signRecord<SanctuarySettings>({ type: 'sanctuary-settings', url, tier, checkInDays, author: me.agentId, updated: now }, me.signSecretKey);
    handle.change((d) => {
      d.sanctuary = settings;
    });
    this.schedule();
  }

  /** Writes a new entry, or a new version of one, sealed with the current key. */
  saveEntry(plain: SanctuaryEntryPlain, prevId?: string): void {
    const key = currentKey(this.keyring);
    if (!key || !this.handle) throw new SanctuaryInputError('no-key', 'no current sanctuary key on this phone');
    const prev = prevId ? this.state.state.sanctuary?.entries.find((e) => e.id === prevId) : undefined;
    const rec = prev ? editEntry(this.host.me, key, prev, plain, Math.max(Date.now(), prev.updated + 1)) : createEntry(this.host.me, key, plain, Date.now());
    this.handle.change((d) => putVersion(d, rec));
  }

  /** A steward's in-person visit. */
  verify(entryId: string): void {
    const rec = createVerification(this.host.me, entryId, Date.now());
    this.handle?.change((d) => {
      d.verifications[rec.id] = rec;
    });
  }

  printSheet(opts: Omit<PrintOptions, 'now'>): PrintSheet {
    return printList(this.state.state.sanctuary?.entries ?? [], { ...opts, now: Date.now() });
  }
}

/** Writes one version under its own key, and removes this entry's older versions (the new one supersedes them). */
function putVersion(d: SanctuaryDoc, rec: SanctuaryEntryRecord): void {
  for (const key of replacedKeys(Object.entries(d.entries), rec)) delete d.entries[key];
  d.entries[versionKey(rec)] = rec;
}

function empty(): SanctuaryView {
  return { exists: false, tier: 'steward', checkInDays: DEFAULT_CHECK_IN_DAYS, epochs: [], latestEpoch: null, entries: [], readable: 0, rejected: 0, missingKey: 0, stewards: [], rotations: 0, organiser: false, canSee: false, canPrint: false };
}
