/**
 * One member's records as every agent runner hands them to the agents (the phone's, src/client/agents.ts,
 * and the island relay's, relay/island-agents.ts). Built in one place so no runner can forget what the
 * people see on "My posts": a hand-over taken back with "undo" (VF `corrects`) no longer happened.
 */
import { standingEvents } from '../../src/core/model/event.ts';
import type { Commitment, EconomicEvent, Intent, Proposal, Vouch } from '../../src/core/model/types.ts';
import type { MemberRecords } from '../types.ts';

/** What a reader verified of one member's feed (a FeedView, or its plain copy). */
export interface VerifiedFeed {
  intents: readonly Intent[];
  events: readonly EconomicEvent[];
  proposals: readonly Proposal[];
  commitments: readonly Commitment[];
}

/**
 * The member's records with only the hand-overs that still stand: neither the undone hand-over nor the
 * correcting event reaches the agents. Filtering here, before any trust gate, matters: a correction
 * carries no `satisfies`, so a viewer who may see the hand-over may not see its correction, and a gate
 * applied first would keep the undone hand-over counting.
 */
export function memberRecords(who: { agentId: string; name: string; joined: number }, feed: VerifiedFeed, vouches: readonly Vouch[] = []): MemberRecords {
  return {
    agentId: who.agentId,
    name: who.name,
    joined: who.joined,
    intents: feed.intents,
    events: standingEvents(feed.events),
    proposals: feed.proposals,
    commitments: feed.commitments,
    vouches,
  };
}
