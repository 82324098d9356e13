import { standingEvents } from './event.ts';
import type { Commitment, Decline, EconomicEvent, Intent, Proposal } from './types.ts';

/** Every verified agreement record a phone has read, from every feed. */
export interface AgreementRecords {
  proposals: readonly Proposal[];
  commitments: readonly Commitment[];
  events: readonly EconomicEvent[];
  declines: readonly Decline[];
}

/** Where one of my posts stands, as "My posts" groups them. */
export type PostStage = 'active' | 'promised' | 'done' | 'withdrawn';

/** The requests ("Ask for it", "I can help") one post received, by how its author answered them. */
export interface PostRequests {
  pending: Proposal[];
  accepted: Array<{ proposal: Proposal; commitment: Commitment; handedOver?: EconomicEvent }>;
  declined: Proposal[];
}

/** A request for a post of mine that I have not answered yet. */
export interface OpenRequest {
  post: Intent;
  proposal: Proposal;
}

/** Intent ids are unique per author only: a proposal names the post's author too (or, in old ones, not). */
export function answers(p: Proposal, post: Intent): boolean {
  return p.publishes === post.id && (p.publisher ?? post.author) === post.author;
}

/**
 * The requests for `post`: accepted when its author signed a commitment for the proposal, declined when
 * they signed a decline (an acceptance wins over a later "no": the commitment is a promise already given),
 * pending otherwise. A hand-over counts only while no correction ("undo") takes it back.
 */
export function requestsFor(post: Intent, a: AgreementRecords): PostRequests {
  const events = standingEvents(a.events);
  const out: PostRequests = { pending: [], accepted: [], declined: [] };
  for (const proposal of a.proposals) {
    if (!answers(proposal, post)) continue;
    const commitment = a.commitments.find((c) => c.author === post.author && c.proposal === proposal.id);
    if (commitment) {
      const handedOver = events.find((e) => e.fulfills === commitment.id && (e.author === commitment.provider || e.author === commitment.receiver));
      out.accepted.push({ proposal, commitment, ...(handedOver ? { handedOver } : {}) });
    } else if (a.declines.some((d) => d.author === post.author && d.proposal === proposal.id)) out.declined.push(proposal);
    else out.pending.push(proposal);
  }
  out.pending.sort((x, y) => x.created - y.created);
  return out;
}

export function stageOf(post: Intent, a: AgreementRecords): PostStage {
  if (post.status === 'withdrawn') return 'withdrawn';
  if (post.status === 'fulfilled') return 'done';
  return requestsFor(post, a).accepted.some((x) => !x.handedOver) ? 'promised' : 'active';
}

/** Requests waiting for my answer, oldest first: what the badge counts. Closed posts take no requests. */
export function openRequests(myPosts: readonly Intent[], a: AgreementRecords): OpenRequest[] {
  return myPosts
    .filter((post) => post.status === 'open')
    .flatMap((post) => requestsFor(post, a).pending.map((proposal) => ({ post, proposal })))
    .sort((x, y) => x.proposal.created - y.proposal.created);
}

/** The hand-over of `post` that still stands (the one an "undo" would take back), if any. */
export function standingHandOver(post: Intent, events: readonly EconomicEvent[]): EconomicEvent | undefined {
  return standingEvents(events)
    .filter((e) => e.author === post.author && e.satisfies === post.id)
    .sort((x, y) => y.hasPointInTime - x.hasPointInTime)[0];
}
