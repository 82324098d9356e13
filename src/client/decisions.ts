import { randomId } from '../core/crypto/encoding.ts';
import { randomBytes, type Identity } from '../core/crypto/keys.ts';
import type { Unsigned } from '../core/crypto/sign.ts';
import {
  createDecisionRecord,
  type DecisionConsent,
  type DecisionDraft,
  type DecisionObjection,
  type DecisionOutcome,
  type DecisionRecord,
  type DecisionState,
  type OutcomeResult,
} from '../../agents/governance-records.ts';
import { sealDecision } from '../../agents/governance-sealed.ts';
import type { DocHandle } from '@automerge/automerge-repo/slim';
import type { Keyring } from '../core/audience/types.ts';
import type { FeedDoc } from '../core/model/types.ts';
import { UserError } from './errors.ts';
import { putSealed } from '../core/model/put-sealed.ts';

const HOUR = 3600_000;

/** What writing a decision record sealed needs from the phone. */
export interface SealedDecisionTarget {
  /** The members' keys this phone holds now. */
  keyringNow(): Keyring;
  /** Whether I may post in my own view (a key may be on its way to me). */
  mayPost(): boolean;
  /** The members' keys once a first key had its chance to arrive. */
  settledKeyring(): Promise<Keyring>;
  /** My feed once the docs are open, waiting for them after a start (undefined if they never open). */
  feedOpen(): Promise<DocHandle<FeedDoc> | undefined>;
  /** Offer the change to the hub now. */
  bump(): Promise<void>;
}

/**
 * The desk's writer: each record is sealed to the members before it enters my feed
 * (agents/governance-sealed.ts), never written in clear. Without a key and not even vouched in my own
 * view, no key is on its way: it says so at once instead of waiting.
 */
export function sealedDecisionWriter(t: SealedDecisionTarget): (rec: DecisionRecord) => Promise<void> {
  return async (rec) => {
    if (t.keyringNow().size === 0 && !t.mayPost()) throw new UserError('sealedMore.decisionNoKey');
    const keyring = await t.settledKeyring();
    if (keyring.size === 0) throw new UserError('sealedMore.decisionNoKey');
    const entry = sealDecision(rec, keyring);
    const feed = await t.feedOpen();
    if (!feed) throw new UserError('error.notReady');
    feed.change((d) => putSealed(d, entry));
    await t.bump();
  };
}

/**
 * Community decisions on this phone: propose, open a consent round, consent or object, record the
 * outcome. Each step is a signed record in the member's own feed; GovernanceCircle suggests the next one.
 */
export class DecisionsDesk {
  constructor(
    private readonly me: Identity,
    private readonly write: (rec: DecisionRecord) => Promise<void>,
  ) {}

  private base(decision: string | null, now: number) {
    const id = randomId(randomBytes);
    // Sealed to the community's members when written (agents/governance-sealed.ts): the record says so.
    return { id, decision: decision ?? id, author: this.me.agentId, audience: 'trusted' as const, created: now };
  }

  async propose(title: string, text: string, discussionDays: number, now = Date.now()): Promise<void> {
    const r: Unsigned<DecisionDraft> = { ...this.base(null, now), type: 'decision-draft', title: title.trim(), text: text.trim(), discussionEnds: now + discussionDays * 24 * HOUR, updated: now };
    await this.write(createDecisionRecord<DecisionDraft>(this.me, r));
  }

  /** The facilitator opens the next consent round: a new version of the draft carrying the round. */
  async openRound(s: DecisionState, hours = 72, now = Date.now()): Promise<void> {
    const r: Unsigned<DecisionDraft> = {
      ...this.base(s.decision, now),
      type: 'decision-draft',
      title: s.title,
      text: s.text,
      discussionEnds: Math.min(s.discussionEnds, now),
      updated: now,
      round: s.lastRound + 1,
      roundCloses: now + hours * HOUR,
    };
    await this.write(createDecisionRecord<DecisionDraft>(this.me, r));
  }

  async answer(s: DecisionState, consent: boolean, text: string, now = Date.now()): Promise<void> {
    const common = { ...this.base(s.decision, now), facilitator: s.facilitator, round: s.round };
    const r = consent
      ? createDecisionRecord<DecisionConsent>(this.me, { ...common, type: 'decision-consent', note: text })
      : createDecisionRecord<DecisionObjection>(this.me, { ...common, type: 'decision-objection', reason: text });
    await this.write(r);
  }

  async outcome(s: DecisionState, result: OutcomeResult, note = '', now = Date.now()): Promise<void> {
    const r: Unsigned<DecisionOutcome> = { ...this.base(s.decision, now), type: 'decision-outcome', result, round: s.round, note };
    await this.write(createDecisionRecord<DecisionOutcome>(this.me, r));
  }
}
