import type { Identity } from '../crypto/keys.ts';
import { randomBytes } from '../crypto/keys.ts';
import { randomId } from '../crypto/encoding.ts';
import { signRecord, verifyRecord, type Unsigned } from '../crypto/sign.ts';
import type { Commitment, Intent, Proposal } from './types.ts';
import { LIMITS } from './validate.ts';

/**
 * How a gift is agreed (ValueFlows): someone answers an offer with a Proposal (naming their need, if
 * any); the offer's author confirms it with a Commitment; the hand-over is then an EconomicEvent that
 * `fulfills` the Commitment. Each record lives in its author's own feed and is signed.
 */
export function createProposal(me: Identity, offer: Intent, need: Intent | undefined, note: string, now: number): Proposal {
  if (offer.author === me.agentId) throw new RangeError('cannot answer your own offer');
  const p: Unsigned<Proposal> = {
    type: 'proposal',
    id: randomId(randomBytes),
    author: me.agentId,
    publishes: offer.id,
    publisher: offer.author,
    note: note.slice(0, LIMITS.note),
    created: now,
    ...(need ? { reciprocal: need.id } : {}),
  };
  return signRecord<Proposal>(p, me.signSecretKey);
}

/** The offer's author accepts a proposal: they commit to give to the proposer. */
export function createCommitment(me: Identity, offer: Intent, proposal: Proposal, now: number): Commitment {
  if (offer.author !== me.agentId || proposal.publishes !== offer.id) throw new RangeError('only the offer’s author can accept a proposal for it');
  const c: Unsigned<Commitment> = {
    type: 'commitment',
    id: randomId(randomBytes),
    author: me.agentId,
    action: offer.action,
    provider: me.agentId,
    receiver: proposal.author,
    resourceConformsTo: offer.resourceConformsTo,
    proposal: proposal.id,
    created: now,
    ...(proposal.reciprocal ? { satisfies: proposal.reciprocal } : {}),
    ...(offer.resourceQuantity ? { resourceQuantity: { ...offer.resourceQuantity } } : {}),
  };
  return signRecord<Commitment>(c, me.signSecretKey);
}

const str = (v: unknown): v is string => typeof v === 'string' && v.length > 0 && v.length <= 200;

export function checkProposal(r: unknown, feedOwner: string): string | null {
  const p = r as Partial<Proposal> | null;
  if (typeof p !== 'object' || p === null || p.type !== 'proposal' || !str(p.id) || !str(p.publishes) || typeof p.created !== 'number') return 'error.notProposal';
  if (typeof p.note !== 'string' || p.note.length > LIMITS.note) return 'error.notProposal';
  if (p.author !== feedOwner) return 'error.wrongAuthor';
  return verifyRecord(p as Proposal) ? null : 'error.badSignature';
}

export function checkCommitment(r: unknown, feedOwner: string): string | null {
  const c = r as Partial<Commitment> | null;
  if (typeof c !== 'object' || c === null || c.type !== 'commitment' || !str(c.id) || !str(c.provider) || !str(c.receiver) || typeof c.created !== 'number') return 'error.notCommitment';
  if (c.author !== feedOwner) return 'error.wrongAuthor';
  if (c.provider !== c.author) return 'error.notParty';
  return verifyRecord(c as Commitment) ? null : 'error.badSignature';
}
