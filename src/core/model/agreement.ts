import type { Identity } from '../crypto/keys.ts';
import { randomBytes } from '../crypto/keys.ts';
import { randomId } from '../crypto/encoding.ts';
import { signRecord, verifyRecord, type Unsigned } from '../crypto/sign.ts';
import type { Commitment, Decline, Intent, Proposal } from './types.ts';
import { LIMITS } from './validate.ts';

/**
 * How a gift is agreed (ValueFlows): someone answers an offer ("Ask for it", naming their need, if any)
 * or a need ("I can help") with a Proposal; the post's author confirms it with a Commitment or says no
 * with a Decline; the hand-over is then an EconomicEvent that `fulfills` the Commitment. Each record
 * lives in its author's own feed and is signed.
 */
export function createProposal(me: Identity, offer: Intent, need: Intent | undefined, note: string, now: number): Proposal {
  if (offer.author === me.agentId) throw new RangeError('cannot answer your own post');
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

/**
 * The post's author accepts a proposal. For an offer they commit to give to the proposer; for a need
 * they accept the proposer's help (the proposer gives, the author receives).
 */
export function createCommitment(me: Identity, offer: Intent, proposal: Proposal, now: number): Commitment {
  if (offer.author !== me.agentId || proposal.publishes !== offer.id) throw new RangeError('only the post’s author can accept a proposal for it');
  const isOffer = offer.kind === 'offer';
  const c: Unsigned<Commitment> = {
    type: 'commitment',
    id: randomId(randomBytes),
    author: me.agentId,
    action: offer.action,
    provider: isOffer ? me.agentId : proposal.author,
    receiver: isOffer ? proposal.author : me.agentId,
    resourceConformsTo: offer.resourceConformsTo,
    proposal: proposal.id,
    created: now,
    ...(isOffer ? (proposal.reciprocal ? { satisfies: proposal.reciprocal } : {}) : { satisfies: offer.id }),
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
  // The giver commits (an offer's author), or the receiver accepts help (a need's author).
  if (c.provider !== c.author && c.receiver !== c.author) return 'error.notParty';
  return verifyRecord(c as Commitment) ? null : 'error.badSignature';
}

/** The post's author says no to a proposal for it. */
export function createDecline(me: Identity, post: Intent, proposal: Proposal, now: number): Decline {
  if (post.author !== me.agentId || proposal.publishes !== post.id) throw new RangeError('only the post’s author can answer a proposal for it');
  const d: Unsigned<Decline> = { type: 'decline', id: randomId(randomBytes), author: me.agentId, proposal: proposal.id, created: now };
  return signRecord<Decline>(d, me.signSecretKey);
}

export function checkDecline(r: unknown, feedOwner: string): string | null {
  const d = r as Partial<Decline> | null;
  if (typeof d !== 'object' || d === null || d.type !== 'decline' || !str(d.id) || !str(d.proposal) || typeof d.created !== 'number') return 'error.notDecline';
  if (d.author !== feedOwner) return 'error.wrongAuthor';
  return verifyRecord(d as Decline) ? null : 'error.badSignature';
}
