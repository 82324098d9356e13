import type { DocHandle } from '@automerge/automerge-repo/slim';
import type { Identity } from '../core/crypto/keys.ts';
import type { Keyring } from '../core/audience/types.ts';
import { DEFAULT_THRESHOLDS, type CommunityDoc, type FeedDoc, type TrustThresholds, type Vouch } from '../core/model/types.ts';
import {
  createRevocation,
  createVouch,
  createVouchNote,
  sealVouchNote,
  type VouchNote,
  decodeContactCard,
  encodeContactCard,
  type Action,
  type ContactCard,
  type Decision,
  type Perspective,
  type SanctuaryTier,
  type TrustContext,
  type VouchStrength,
  withStewards,
} from '../core/trust/index.ts';
import { UserError } from './errors.ts';
import { Store } from './store.ts';
import { TrustBook, type TrustView } from './trust-book.ts';
import type { SecretStore } from './vault.ts';
import { putSealed } from '../core/model/put-sealed.ts';
import { memberEntries } from '../core/model/community.ts';

export interface TrustState {
  /** My standing, gates and the people I trust; null until first computed (then cached across starts). */
  trust: TrustView | null;
  /** Notes of my vouches kept on this phone until it holds the members' key to seal them (a newcomer's first vouch). */
  pendingNotes: VouchNote[];
}

/** Where notes waiting for the members' key are kept (sealed under the phone's data key, never in a doc). */
const PENDING_NOTES = 'pendingVouchNotes';

/** What trust needs from the rest of the phone. */
export interface TrustHost {
  me(): Identity | undefined;
  community(): DocHandle<CommunityDoc> | undefined;
  feed(): DocHandle<FeedDoc> | undefined;
  /** My feed to write to, once the docs are open (a vouch right after a start waits for them, bounded). */
  feedOpen(): Promise<DocHandle<FeedDoc> | undefined>;
  secrets: SecretStore;
  /** Start following a member's feed (a vouch names someone whose feed I may not have yet). */
  follow(agentId: string, feedUrl: string): void;
  wrote(): Promise<void>;
  /** The tier the community's signed sanctuary setting asks for, judged in this context. */
  sanctuaryTier(ctx: TrustContext): SanctuaryTier;
  /** The community's signed stewards who are members: every phone also sees the community through them. */
  stewards(): string[];
  /** After each recomputation: alerts and sanctuary are judged with the new scores. */
  recomputed(): void;
  /** The members' keys this phone holds now (vouch notes are sealed with the current one). */
  membersKeys(): Keyring;
  /** A public record as this phone stores it (record-form.ts). */
  stored<T>(record: T): T;
}

/**
 * The web of trust on this phone: every member's vouches, seen from my perspective (the founder, or
 * whoever I was invited by and vouched for), into scores, my own gates and the people I trust.
 */
export class Trust {
  readonly state = new Store<TrustState>({ trust: null, pendingNotes: [] });
  readonly book = new TrustBook();
  perspective?: Perspective;
  thresholds: TrustThresholds = DEFAULT_THRESHOLDS;
  /** Which tier may see and print sanctuary entries, from the stewards' signed setting. */
  private sanctuaryTier: SanctuaryTier = 'steward';
  private queued = false;

  constructor(private readonly host: TrustHost) {}

  /** One of my own gates; undefined before trust is first computed (callers decide what that means). */
  gate(action: Action): Decision | undefined {
    return this.state.state.trust?.gates[action];
  }

  /** Coalesces bursts of feed changes (a bridge brings hundreds at once) into one recomputation. */
  schedule(): void {
    if (this.queued || !this.perspective) return;
    this.queued = true;
    setTimeout(() => {
      this.queued = false;
      this.recompute();
    }, 0);
  }

  /** My own anchors plus the organisers (signed stewards): what my scores and standing are computed from. */
  private scoringPerspective(): Perspective | undefined {
    return this.perspective && withStewards(this.perspective, this.host.stewards());
  }

  private recompute(): void {
    const perspective = this.scoringPerspective();
    if (!perspective) return;
    let view = this.book.compute(perspective, this.thresholds, this.sanctuaryTier, Date.now());
    this.state.set({ trust: view });
    // The sanctuary tier is a steward's signed setting, judged with the scores just computed.
    const tier = this.host.sanctuaryTier(this.readerContext());
    if (tier !== this.sanctuaryTier) {
      this.sanctuaryTier = tier;
      view = this.book.compute(perspective, this.thresholds, tier, Date.now());
      this.state.set({ trust: view });
    }
    this.host.recomputed();
    void this.host.secrets.put('trustView', view);
  }

  /** My own view of everyone, for judging their alerts and sanctuary records (I score 1 in it). */
  readerContext(): TrustContext {
    const me = this.host.me()?.agentId;
    const scores = new Map((this.state.state.trust?.people ?? []).map((p) => [p.agentId, p.score]));
    return { scores: { score: (id) => (id === me ? 1 : (scores.get(id) ?? 0)) }, thresholds: this.thresholds, sanctuaryTier: this.sanctuaryTier };
  }

  /** Nobody to see the community through yet: the first person they vouch for becomes that. */
  isNewcomer(): boolean {
    return !!this.perspective && !this.perspective.founder && this.perspective.anchors.length === 0;
  }

  explain(agentId: string) {
    return this.book.explain(agentId);
  }

  /** "My code": my signed profile and feed, for another member to scan or paste. */
  myCode(): string {
    const me = this.host.me();
    const community = this.host.community();
    const feed = this.host.feed();
    const profile = me && memberEntries(community?.doc())[me.agentId]?.profile;
    if (!me || !profile || !feed || !community) throw new UserError('error.notReady');
    return encodeContactCard(me, profile, feed.url, community.doc().id, Date.now());
  }

  /** Reads a scanned or pasted code; refuses my own and another community's. */
  readCode(text: string): ContactCard {
    let card: ContactCard;
    try {
      card = decodeContactCard(text);
    } catch (err) {
      throw new UserError(`trust.code.${(err as { code?: string }).code ?? 'bad-shape'}`);
    }
    if (card.author === this.host.me()?.agentId) throw new UserError('trust.code.own');
    const community = this.host.community();
    if (community && card.community !== community.doc().id) throw new UserError('trust.code.other-community');
    return card;
  }

  /**
   * Signs a vouch for the person whose code I read. A note goes sealed to the members (vouch-note.ts):
   * the vouch carries `noteSealed` and no text; the signed note is boxed beside my sealed posts, or — while
   * this phone holds no members' key yet — kept on the phone and sealed when the key arrives.
   */
  async vouch(card: ContactCard, strength: VouchStrength, note: string, expires?: number): Promise<Vouch> {
    const gate = this.gate('vouch');
    if (gate && !gate.allowed && !this.isNewcomer()) throw new UserError(gate.reason);
    const feed = await this.host.feedOpen();
    const me = this.host.me();
    if (!feed || !me) throw new UserError('error.notReady');
    const text = note.trim();
    const rec = createVouch(me, { to: card.author, strength, note: '', expires, noteSealed: text !== '' }, Date.now());
    const signedNote = text ? createVouchNote(me, rec, text) : undefined;
    const keys = this.host.membersKeys();
    const entry = signedNote && keys.size > 0 ? sealVouchNote(signedNote, keys) : undefined;
    feed.change((d) => {
      d.vouches[rec.id] = this.host.stored(rec);
      if (entry) putSealed(d, entry);
    });
    if (signedNote && !entry) await this.keepPending([...this.state.state.pendingNotes, signedNote]);
    if (this.isNewcomer()) {
      // A newcomer's first in-person vouch is who they see the community through from now on.
      this.perspective = { ...this.perspective!, anchors: [card.author] };
      await this.host.secrets.put('anchors', this.perspective.anchors);
    }
    this.host.follow(card.author, card.feedUrl);
    await this.host.wrote();
    this.schedule();
    return rec;
  }

  /** Notes kept on this phone from an earlier start (shown on my vouches meanwhile). */
  async loadPendingNotes(): Promise<void> {
    this.state.set({ pendingNotes: (await this.host.secrets.get<VouchNote[]>(PENDING_NOTES)) ?? [] });
  }

  /** The members' key arrived (or changed): notes kept on this phone are sealed into my feed now. */
  async sealPendingNotes(): Promise<void> {
    const pending = this.state.state.pendingNotes;
    const keys = this.host.membersKeys();
    const feed = this.host.feed();
    if (pending.length === 0 || keys.size === 0 || !feed) return;
    const entries = pending.map((n) => sealVouchNote(n, keys));
    feed.change((d) => {
      for (const e of entries) putSealed(d, e);
    });
    await this.keepPending([]);
    await this.host.wrote();
  }

  private async keepPending(notes: VouchNote[]): Promise<void> {
    await this.host.secrets.put(PENDING_NOTES, notes);
    this.state.set({ pendingNotes: notes });
  }

  async revoke(vouchId: string): Promise<void> {
    const feed = await this.host.feedOpen();
    const me = this.host.me();
    if (!feed || !me) throw new UserError('error.notReady');
    const rec = createRevocation(me, vouchId, Date.now());
    feed.change((d) => {
      d.revocations[rec.id] = this.host.stored(rec);
    });
    await this.host.wrote();
    this.schedule();
  }
}
