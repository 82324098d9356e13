import type { Random } from '../audience/key.ts';
import { seal } from '../audience/seal.ts';
import type { Keyring, SealedAudience } from '../audience/types.ts';
import { randomBytes } from '../crypto/keys.ts';
import { verifyRecord } from '../crypto/sign.ts';
import { checkCommitment, checkDecline, checkProposal } from './agreement.ts';
import { checkEvent } from './event.ts';
import type { Rejected } from './feed.ts';
import { openSealedEntries, type SealedKind } from './sealed-entries.ts';
import type { SealedMemo } from './sealed-memo.ts';
import type { Commitment, Decline, EconomicEvent, FeedDoc, Proposal, SealedFeedRecord } from './types.ts';

/**
 * Requests, promises, hand-overs and "no"s about a members-only post, sealed to the post's audience
 * (issue #17). The note a person writes with "I can help" and the link from their feed to a sealed post
 * (who deals with whom, about what) are as private as the post itself: the whole signed record goes in
 * the box, beside sealed posts in the feed's one sealed map, so a relay sees only an id, the audience,
 * the epoch and a padded size — and cannot tell a request from a post or a decision.
 */
export type Agreement = Proposal | Commitment | EconomicEvent | Decline;

/** The record types of this kind: the post reader leaves them to this one (sealed-intent.ts). */
export const AGREEMENT_TYPES: ReadonlySet<unknown> = new Set(['proposal', 'commitment', 'event', 'decline']);

/** The audiences a post can be sealed to (sealedAudienceOf), so the only ones its agreements are sealed to. */
const AGREEMENT_AUDIENCES: readonly SealedAudience[] = ['members'];

/**
 * An agreement record as its sealed map entry, under its own id. `audience` is the sealed audience of
 * the post it concerns (the caller knows the post). Throws AudienceInputError('no-key') without a key.
 */
export function sealAgreement(rec: Agreement, audience: SealedAudience, keyring: Keyring, random: Random = randomBytes): SealedFeedRecord {
  if (!AGREEMENT_AUDIENCES.includes(audience)) throw new TypeError(`agreements are not sealed to ${audience}`);
  return { id: rec.id, ...seal(rec, audience, keyring, random) };
}

const CHECKS: Record<Agreement['type'], (r: unknown, owner: string) => string | null> = {
  proposal: checkProposal,
  commitment: checkCommitment,
  event: checkEvent,
  decline: checkDecline,
};

/** When a record was made: events carry the hand-over's time, the others their creation. */
const stamp = (r: Agreement): number => (r.type === 'event' ? r.hasPointInTime : r.created);

const agreementKind: SealedKind<Agreement> = {
  is: (r) => AGREEMENT_TYPES.has(r.type),
  check: (rec, owner, key, s) => {
    const type = (rec as { type: Agreement['type'] }).type;
    const problem = CHECKS[type](rec, owner);
    if (problem) return problem;
    if ((rec as Agreement).id !== key) return 'error.idMismatch';
    return AGREEMENT_AUDIENCES.includes(s.audience) ? null : 'error.badAudience';
  },
  // Written once under a random id: of two versions the later, then the larger signature.
  newer: (a, b) => stamp(a) > stamp(b) || (stamp(a) === stamp(b) && a.sig > b.sig),
};

export interface AgreementLists {
  proposals: Proposal[];
  commitments: Commitment[];
  events: EconomicEvent[];
  declines: Decline[];
}

export interface OpenedAgreements extends AgreementLists {
  /** Entries this reader holds no key for (of any kind). */
  unreadable: number;
  rejected: Rejected[];
}

/**
 * The sealed agreement records of `feed` this reader can open, each signed by the feed's owner, valid
 * for its type and filed under its own id. Total: never throws on what a feed holds.
 */
export function openSealedAgreements(
  feed: Pick<FeedDoc, 'owner' | 'sealed'>,
  keyring: Keyring,
  verify: (r: unknown) => boolean = verifyRecord,
  versions: (key: string) => readonly unknown[] = () => [],
  /** Entries opened before (core/model/sealed-memo.ts): not decrypted and checked again. */
  memo?: SealedMemo,
): OpenedAgreements {
  const o = openSealedEntries(feed, keyring, agreementKind, verify, versions, memo);
  const out: OpenedAgreements = { proposals: [], commitments: [], events: [], declines: [], unreadable: o.unreadable, rejected: o.rejected };
  for (const r of o.records) {
    if (r.type === 'proposal') out.proposals.push(r);
    else if (r.type === 'commitment') out.commitments.push(r);
    else if (r.type === 'event') out.events.push(r);
    else out.declines.push(r);
  }
  return out;
}

/**
 * One feed's clear and opened agreement records together, one per id (the clear one first, so every
 * reader keeps the same one). Old records written in clear keep counting beside sealed ones.
 */
export function mergeAgreements(plain: AgreementLists, opened: AgreementLists): AgreementLists {
  const one = <T extends { id: string }>(a: readonly T[], b: readonly T[]): T[] => {
    const seen = new Set(a.map((r) => r.id));
    return [...a, ...b.filter((r) => !seen.has(r.id) && (seen.add(r.id), true))];
  };
  return {
    proposals: one(plain.proposals, opened.proposals),
    commitments: one(plain.commitments, opened.commitments),
    events: one(plain.events, opened.events),
    declines: one(plain.declines, opened.declines),
  };
}
