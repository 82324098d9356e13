import type { DocHandle } from '@automerge/automerge-repo/slim';
import type { Identity } from '../core/crypto/keys.ts';
import { createCommitment, createProposal } from '../core/model/agreement.ts';
import { recordHandOver } from '../core/model/event.ts';
import { createIntent, editIntent, inputProblem, setIntentStatus, type IntentInput } from '../core/model/intent.ts';
import { sealedAudienceOf, sealIntent } from '../core/model/sealed-intent.ts';
import type { Keyring } from '../core/audience/types.ts';
import type { Commitment, FeedDoc, Intent, Proposal } from '../core/model/types.ts';
import type { Decision } from '../core/trust/index.ts';
import { UserError } from './errors.ts';

/** What posting needs from the rest of the phone. */
export interface IntentsHost {
  me(): Identity | undefined;
  feed(): DocHandle<FeedDoc> | undefined;
  gate(action: 'post-offer' | 'post-need'): Decision | undefined;
  /** Verified agreements from every feed (a confirmation or hand-over must answer one of them). */
  agreements(): { proposals: Proposal[]; commitments: Commitment[] };
  wrote(): Promise<void>;
  /** The members' keys on this phone, once any pending key duties have run (a steward's first key). */
  membersKeys(): Promise<Keyring>;
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
  private async write(rec: Intent | ReturnType<typeof recordHandOver>): Promise<void> {
    const feed = this.host.feed();
    if (!feed) throw new UserError('error.notReady');
    if (rec.type === 'intent' && sealedAudienceOf(rec)) {
      const keyring = await this.host.membersKeys();
      if (keyring.size === 0) throw new UserError('error.noMembersKey');
      const sealed = sealIntent(rec, keyring);
      feed.change((d) => {
        d.sealed ??= {};
        d.sealed[rec.id] = sealed;
        // An earlier public version of the same post must not stay readable beside it.
        delete d.intents[rec.id];
      });
      return;
    }
    feed.change((d) => {
      if (rec.type === 'intent') {
        d.intents[rec.id] = rec;
        if (d.sealed?.[rec.id]) delete d.sealed[rec.id];
      } else d.events[rec.id] = rec;
    });
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
    await this.write(setIntentStatus(this.me(), prev, 'withdrawn', Date.now()));
    await this.host.wrote();
  }

  /** "Given" / "received": records the EconomicEvent and closes the intent. */
  async markDone(prev: Intent, note: string): Promise<void> {
    const now = Date.now();
    await this.write(recordHandOver(this.me(), prev, undefined, note, now));
    await this.write(setIntentStatus(this.me(), prev, 'fulfilled', now));
    await this.host.wrote();
  }

  async propose(offer: Intent, need: Intent | undefined, note: string): Promise<void> {
    const rec = createProposal(this.me(), offer, need, note, Date.now());
    this.feedChange((d) => {
      d.proposals[rec.id] = rec;
    });
    await this.host.wrote();
  }

  async confirmProposal(offer: Intent, proposalId: string): Promise<void> {
    const proposal = this.host.agreements().proposals.find((x) => x.id === proposalId);
    if (!proposal) throw new UserError('agents.gone');
    const rec = createCommitment(this.me(), offer, proposal, Date.now());
    this.feedChange((d) => {
      d.commitments[rec.id] = rec;
    });
    await this.host.wrote();
  }

  /** The giver records the hand-over of a commitment: an EconomicEvent that fulfills it. */
  async handOver(offer: Intent, commitmentId: string): Promise<void> {
    const me = this.me();
    const c = this.host.agreements().commitments.find((x) => x.id === commitmentId && x.provider === me.agentId);
    if (!c) throw new UserError('agents.gone');
    const now = Date.now();
    await this.write(recordHandOver(me, offer, c.receiver, '', now, c.id));
    await this.write(setIntentStatus(me, offer, 'fulfilled', now));
    await this.host.wrote();
  }

  private feedChange(fn: (d: FeedDoc) => void): void {
    const feed = this.host.feed();
    if (!feed) throw new UserError('error.notReady');
    feed.change(fn);
  }
}
