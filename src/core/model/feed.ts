import { checkEvent } from './event.ts';
import { checkIntent } from './intent.ts';
import type { EconomicEvent, FeedDoc, Intent } from './types.ts';

export interface Rejected {
  feedOwner: string;
  id: string;
  reason: string;
}

export interface FeedView {
  intents: Intent[];
  events: EconomicEvent[];
  rejected: Rejected[];
}

/**
 * What a reader may believe of a feed: only records that are well-formed, signed, and written by the
 * feed's owner. Everything else is reported, never shown. `verified` caches signatures already checked
 * (keyed by sig) because verifying thousands of records on every change is the main cost of reading.
 */
export function readFeed(feed: FeedDoc, verified?: Set<string>): FeedView {
  const view: FeedView = { intents: [], events: [], rejected: [] };
  const owner = feed.owner;
  for (const [id, rec] of Object.entries(feed.intents ?? {})) {
    const known = verified?.has(rec?.sig) && rec.author === owner && rec.id === id;
    const problem = known ? null : checkIntent(rec, owner) ?? (rec.id === id ? null : 'error.idMismatch');
    if (problem) view.rejected.push({ feedOwner: owner, id, reason: problem });
    else {
      view.intents.push(rec);
      verified?.add(rec.sig);
    }
  }
  for (const [id, rec] of Object.entries(feed.events ?? {})) {
    const problem = checkEvent(rec, owner);
    if (problem) view.rejected.push({ feedOwner: owner, id, reason: problem });
    else view.events.push(rec);
  }
  return view;
}
