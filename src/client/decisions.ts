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

const HOUR = 3600_000;

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
