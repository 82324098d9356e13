import { checkEvent } from './event.ts';
import { checkIntent } from './intent.ts';
import { checkCommitment, checkDecline, checkProposal } from './agreement.ts';
import { plainScalars } from './scalar-strings.ts';
import type { Commitment, Decline, EconomicEvent, FeedDoc, Intent, Proposal } from './types.ts';

export interface Rejected {
  feedOwner: string;
  id: string;
  reason: string;
}

export interface FeedView {
  intents: Intent[];
  events: EconomicEvent[];
  proposals: Proposal[];
  commitments: Commitment[];
  declines: Decline[];
  rejected: Rejected[];
}

/**
 * What a reader may believe of a feed: only records that are well-formed, signed, and written by the
 * feed's owner. Everything else is reported, never shown. Reading again after each change is cheap
 * because verifyRecord remembers good signatures with the exact text they cover.
 */
export function readFeed(feed: FeedDoc): FeedView {
  const view: FeedView = { intents: [], events: [], proposals: [], commitments: [], declines: [], rejected: [] };
  const owner = feed.owner;
  // Records stored as text or as scalars (scalar-strings.ts) are checked and shown in one form.
  const records = <T>(map: Record<string, T> | undefined): [string, T][] => Object.entries(map ?? {}).map(([id, r]) => [id, plainScalars(r)]);
  for (const [id, rec] of records(feed.intents)) {
    const problem = checkIntent(rec, owner) ?? (rec.id === id ? null : 'error.idMismatch');
    if (problem) view.rejected.push({ feedOwner: owner, id, reason: problem });
    else view.intents.push(rec);
  }
  for (const [id, rec] of records(feed.events)) {
    const problem = checkEvent(rec, owner);
    if (problem) view.rejected.push({ feedOwner: owner, id, reason: problem });
    else view.events.push(rec);
  }
  for (const [id, rec] of records(feed.proposals)) {
    const problem = checkProposal(rec, owner) ?? (rec.id === id ? null : 'error.idMismatch');
    if (problem) view.rejected.push({ feedOwner: owner, id, reason: problem });
    else view.proposals.push(rec);
  }
  for (const [id, rec] of records(feed.commitments)) {
    const problem = checkCommitment(rec, owner) ?? (rec.id === id ? null : 'error.idMismatch');
    if (problem) view.rejected.push({ feedOwner: owner, id, reason: problem });
    else view.commitments.push(rec);
  }
  for (const [id, rec] of records(feed.declines)) {
    const problem = checkDecline(rec, owner) ?? (rec.id === id ? null : 'error.idMismatch');
    if (problem) view.rejected.push({ feedOwner: owner, id, reason: problem });
    else view.declines.push(rec);
  }
  return view;
}

/** Every signed record a feed holds, whatever its kind (for checking their signatures in one batch). */
export function feedRecords(feed: Partial<FeedDoc> | undefined): unknown[] {
  if (!feed) return [];
  return [feed.intents, feed.events, feed.proposals, feed.commitments, feed.declines, feed.vouches, feed.revocations, feed.decisions].flatMap((m) =>
    m && typeof m === 'object' ? Object.values(m).map(plainScalars) : [],
  );
}
