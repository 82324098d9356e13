import type { DocHandle } from '@automerge/automerge-repo/slim';
import type { Identity } from '../core/crypto/keys.ts';
import { createCommitment, createDecline, createProposal } from '../core/model/agreement.ts';
import { correctHandOver, recordHandOver } from '../core/model/event.ts';
import { answers, standingHandOver } from '../core/model/post-stage.ts';
import { plainScalars } from '../core/model/scalar-strings.ts';
import { createIntent, editIntent, inputProblem, setIntentStatus, type IntentInput } from '../core/model/intent.ts';
import { sealedAudienceOf, sealIntent } from '../core/model/sealed-intent.ts';
import { openSealedAgreements, sealAgreement, type Agreement } from '../core/model/sealed-agreement.ts';
import type { Keyring, SealedAudience } from '../core/audience/types.ts';
import type { Commitment, Decline, EconomicEvent, FeedDoc, Intent, Proposal } from '../core/model/types.ts';
import type { Decision } from '../core/trust/index.ts';
import { UserError } from './errors.ts';
import { putSealed } from '../core/model/put-sealed.ts';

/** What posting needs from the rest of the phone. */
export interface IntentsHost {
  me(): Identity | undefined;
  feed(): DocHandle<FeedDoc> | undefined;
  /** My feed to write to, once the docs are open (a post right after a start waits for them, bounded). */
  feedOpen(): Promise<DocHandle<FeedDoc> | undefined>;
  gate(action: 'post-offer' | 'post-need'): Decision | undefined;
  /** Verified agreements from every feed (a confirmation or hand-over must answer one of them). */
  agreements(): { proposals: Proposal[]; commitments: Commitment[]; events: EconomicEvent[] };
  /** My posts as my feed last proved them (the newest version of each). */
  mine(): Intent[];
  wrote(): Promise<void>;
  /** The members' keys on this phone, once any pending key duties have run (a steward's first key). */
  membersKeys(): Promise<Keyring>;
  /** A post of `author` as this phone last read it (opened when sealed), if it has it. */
  intentOf(author: string, id: string): Intent | undefined;
  /** A public record as this phone stores it (record-form.ts). */
  stored<T>(record: T): T;
}

/**
 * My offers and needs, and the agreements around them: each step is a signed record written to my own
 * feed (the relay carries it on), never to anyone else's.
 */
export class Intents {
  constructor(private readonly host: IntentsHost) {}

  private me(): Identity {
    const me = this.host.me();
    if (!me) throw new UserError('error.notReady');
    return me;
  }

  /**
   * Writes a record to my feed. A members-only intent is sealed here, on the phone, before it enters
   * the doc (issue #17): the doc, the relay and every bundle see only ciphertext. Without a members'
   * key yet the post is refused rather than written in clear.
   */
  private async write(rec: Intent): Promise<void> {
    const feed = await this.host.feedOpen();
    if (!feed) throw new UserError('error.notReady');
    if (sealedAudienceOf(rec)) {
      const sealed = sealIntent(rec, await this.keys());
      feed.change((d) => {
        putSealed(d, sealed);
        // An earlier public version of the same post must not stay readable beside it.
        delete d.intents[rec.id];
      });
      return;
    }
    feed.change((d) => {
      d.intents[rec.id] = this.host.stored(rec);
      if (d.sealed?.[rec.id]) delete d.sealed[rec.id];
    });
  }

  /** The members' keys, or the refusal to write what must be sealed in clear. */
  private async keys(): Promise<Keyring> {
    const keyring = await this.host.membersKeys();
    if (keyring.size === 0) throw new UserError('error.noMembersKey');
    return keyring;
  }

  /**
   * Writes a request, promise, hand-over or "no" to my feed: sealed to `audience` — that of the
   * members-only post it concerns — on the phone, before it enters the doc (issue #17), or in clear for
   * a public post. Never in clear for a sealed post: without a key it is refused.
   */
  private async writeAgreement(rec: Agreement, audience: SealedAudience | null): Promise<void> {
    const feed = await this.host.feedOpen();
    if (!feed) throw new UserError('error.notReady');
    if (audience) {
      const sealed = sealAgreement(rec, audience, await this.keys());
      feed.change((d) => putSealed(d, sealed));
      return;
    }
    feed.change((d) => {
      const stored = this.host.stored(rec);
      if (rec.type === 'proposal') d.proposals[rec.id] = stored as Proposal;
      else if (rec.type === 'commitment') d.commitments[rec.id] = stored as Commitment;
      else if (rec.type === 'event') d.events[rec.id] = stored as EconomicEvent;
      else {
        d.declines ??= {};
        d.declines[rec.id] = stored as Decline;
      }
    });
  }

  /**
   * The audience an answer to `proposal` on my `post` is sealed to: the post's, or that of the need the
   * proposal names for it (its id links the two). A named need this phone cannot read is treated as
   * sealed whenever this phone could seal: when in doubt, not in clear.
   */
  private async answerAudience(post: Intent, proposal: Proposal): Promise<SealedAudience | null> {
    const own = sealedAudienceOf(post);
    if (own || !proposal.reciprocal) return own;
    const need = this.host.intentOf(proposal.author, proposal.reciprocal);
    if (need) return sealedAudienceOf(need);
    return (await this.host.membersKeys()).size > 0 ? 'members' : null;
  }

  isMine(i: Intent): boolean {
    return i.author === this.host.me()?.agentId;
  }

  async post(input: IntentInput): Promise<Intent> {
    const problem = inputProblem(input);
    if (problem) throw new UserError(problem);
    const gate = this.host.gate(input.kind === 'offer' ? 'post-offer' : 'post-need');
    if (gate && !gate.allowed) throw new UserError(gate.reason);
    const rec = createIntent(this.me(), input, Date.now());
    await this.write(rec);
    await this.host.wrote();
    return rec;
  }

  async edit(prev: Intent, input: IntentInput): Promise<Intent> {
    const problem = inputProblem(input);
    if (problem) throw new UserError(problem);
    const rec = editIntent(this.me(), prev, input, Date.now());
    await this.write(rec);
    await this.host.wrote();
    return rec;
  }

  async withdraw(prev: Intent): Promise<void> {
    await this.write(setIntentStatus(this.me(), this.current(prev), 'withdrawn', Date.now()));
    await this.host.wrote();
  }

  /** Undo of "withdraw": the post is open again (a new signed version; the withdrawn one is history). */
  async reopen(prev: Intent): Promise<void> {
    const cur = this.current(prev);
    if (cur.status !== 'withdrawn') throw new UserError('mine.notWithdrawn');
    await this.write(setIntentStatus(this.me(), cur, 'open', Date.now()));
    await this.host.wrote();
  }

  /**
   * The newest version of my post that this phone knows: the one passed in, the one my feed proves, or
   * one closed here a moment ago and not read back yet. A screen may hold a stale copy (a second tap on
   * "Mark as given" before the first one's write was read back must not hand it over twice).
   */
  private current(prev: Intent): Intent {
    if (prev.author !== this.host.me()?.agentId) throw new UserError('error.notYours');
    const versions = [prev, this.justWritten.get(prev.id), this.host.mine().find((i) => i.id === prev.id)].filter((x): x is Intent => !!x);
    return versions.reduce((a, b) => (b.updated > a.updated ? b : a));
  }

  /** Posts whose status this phone changed and may not have read back yet, by id. */
  private readonly justWritten = new Map<string, Intent>();

  private async setStatus(prev: Intent, status: Intent['status'], now: number): Promise<void> {
    const rec = setIntentStatus(this.me(), prev, status, now);
    this.justWritten.set(rec.id, rec);
    await this.write(rec);
  }

  /** "Given" / "received": records the EconomicEvent and closes the intent, once. */
  async markDone(prev: Intent, note: string): Promise<void> {
    const cur = this.current(prev);
    if (cur.status !== 'open') throw new UserError('mine.alreadyDone');
    const now = Date.now();
    // The event first: a reader that sees the post closed finds its hand-over already there.
    await this.writeAgreement(recordHandOver(this.me(), cur, undefined, note, now), sealedAudienceOf(cur));
    await this.setStatus(cur, 'fulfilled', now);
    await this.host.wrote();
  }

  /**
   * Undo of "given" / "received": a correcting event takes the hand-over back (the mistaken one stays in
   * the feed) and the post is open again, its agreements as they were.
   */
  async undoDone(prev: Intent): Promise<void> {
    const cur = this.current(prev);
    if (cur.status !== 'fulfilled') throw new UserError('mine.notDone');
    const me = this.me();
    const now = Date.now();
    const mistaken = standingHandOver(cur, this.host.agreements().events.concat(await this.eventsHere()));
    if (mistaken) await this.writeAgreement(correctHandOver(me, mistaken, now), sealedAudienceOf(cur));
    await this.setStatus(cur, 'open', now);
    await this.host.wrote();
  }

  /** Events in my feed doc right now, clear and sealed (the community's read of it may lag a write by a moment). */
  private async eventsHere(): Promise<EconomicEvent[]> {
    const me = this.host.me()?.agentId;
    const doc = this.host.feed()?.doc();
    if (!doc) return [];
    const sealed = openSealedAgreements(doc, await this.host.membersKeys()).events;
    return [...Object.values(doc.events ?? {}).map(plainScalars), ...sealed].filter((e) => e.author === me);
  }

  /** "Ask for it" on an offer or "I can help" on a need, with an optional note for its author. */
  async propose(post: Intent, need: Intent | undefined, note: string): Promise<void> {
    if (post.author === this.host.me()?.agentId) throw new UserError('agree.ownPost');
    if (post.status !== 'open') throw new UserError('agents.gone');
    const rec = createProposal(this.me(), post, need, note.trim(), Date.now());
    // Sealed when the post asked for, or the need it would answer, is members-only.
    await this.writeAgreement(rec, sealedAudienceOf(post) ?? (need ? sealedAudienceOf(need) : null));
    await this.host.wrote();
  }

  private proposalFor(post: Intent, proposalId: string): Proposal {
    const proposal = this.host.agreements().proposals.find((x) => x.id === proposalId && answers(x, post));
    if (!proposal) throw new UserError('agents.gone');
    return proposal;
  }

  /** The post's author says yes: a Commitment (I give, for an offer; they help me, for a need). */
  async confirmProposal(post: Intent, proposalId: string): Promise<void> {
    const proposal = this.proposalFor(post, proposalId);
    if (this.host.agreements().commitments.some((c) => c.proposal === proposal.id && c.author === post.author)) throw new UserError('agree.alreadyAnswered');
    const rec = createCommitment(this.me(), post, proposal, Date.now());
    await this.writeAgreement(rec, await this.answerAudience(post, proposal));
    await this.host.wrote();
  }

  /** The post's author says no, kindly: the request stays, answered. */
  async declineProposal(post: Intent, proposalId: string): Promise<void> {
    const proposal = this.proposalFor(post, proposalId);
    const rec = createDecline(this.me(), post, proposal, Date.now());
    await this.writeAgreement(rec, await this.answerAudience(post, proposal));
    await this.host.wrote();
  }

  /**
   * The hand-over of a commitment, recorded by the post's author: the giver of an offer ("given") or the
   * receiver of a need ("received"). An EconomicEvent that fulfills the commitment, and the post closes.
   */
  async handOver(post: Intent, commitmentId: string): Promise<void> {
    const me = this.me();
    const cur = this.current(post);
    if (cur.status !== 'open') throw new UserError('mine.alreadyDone');
    const mine = (c: Commitment) => (cur.kind === 'offer' ? c.provider === me.agentId : c.receiver === me.agentId);
    const c = this.host.agreements().commitments.find((x) => x.id === commitmentId && mine(x));
    if (!c) throw new UserError('agents.gone');
    const now = Date.now();
    // Sealed as the promise it fulfils was (its id links the two): the post's audience, or the named need's.
    const proposal = this.host.agreements().proposals.find((p) => p.id === c.proposal);
    const audience = proposal ? await this.answerAudience(cur, proposal) : sealedAudienceOf(cur);
    await this.writeAgreement(recordHandOver(me, cur, cur.kind === 'offer' ? c.receiver : c.provider, '', now, c.id), audience);
    await this.setStatus(cur, 'fulfilled', now);
    await this.host.wrote();
  }
}
