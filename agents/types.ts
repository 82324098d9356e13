/**
 * The contract every agent keeps. An agent is a pure function of what the viewer's phone already holds
 * (verified records from the community's docs) and "now": no I/O, no clock, no randomness, no network.
 * It proposes; a person decides. Everything an agent says is explainable and translatable.
 */
import type { CommunityDoc, Commitment, EconomicEvent, Intent, Proposal, Vouch } from '../src/core/model/types.ts';

export const AGENT_NAMES = [
  'MutualAidMatchmaker',
  'PerishablesDispatcher',
  'WorkPartyScheduler',
  'CommonsRouter',
  'InventoryAgent',
  'GiftFlow',
  'PermaculturePlanner',
  'EducationPathfinder',
  'GovernanceCircle',
  'ConquestOfBread',
  'InsurrectionaryJoy',
  'RadicalInclusion',
  'Conscientization',
  'CounterPower',
] as const;
export type AgentName = (typeof AGENT_NAMES)[number];

/** One plain-words fact behind a proposal. `key` is an i18n key; `text` is its English rendering. */
export interface Fact {
  key: string;
  params: Record<string, string | number>;
  text: string;
  /** The share of the score this fact carried (0..1), when the score is a weighted sum. */
  weight?: number;
}

export interface AgentProposal {
  /** Deterministic from agent + kind + subjects, so a declined proposal can be recognised again. */
  id: string;
  agent: AgentName;
  /** What is being proposed, e.g. 'match', 'pickup', 'work-party' (agent-specific, documented in the spec). */
  kind: string;
  /** Ids of the records or members the proposal is about (intents, members, …), in a stable order. */
  subjects: string[];
  /** One English sentence; `summaryKey`/`summaryParams` translate it. */
  summary: string;
  summaryKey: string;
  summaryParams: Record<string, string | number>;
  explanation: Fact[];
  /** 0..1, higher first. */
  score: number;
  /** ms since the epoch after which the proposal is stale. */
  expires: number;
}

/** Records of one member, already verified by the reader (signatures checked, author = feed owner). */
export interface MemberRecords {
  agentId: string;
  name: string;
  joined: number;
  intents: readonly Intent[];
  events: readonly EconomicEvent[];
  proposals: readonly Proposal[];
  commitments: readonly Commitment[];
  vouches: readonly Vouch[];
}

export interface AgentInput {
  viewer: string;
  now: number;
  community: Pick<CommunityDoc, 'id' | 'name' | 'categories' | 'areas' | 'thresholds'>;
  members: readonly MemberRecords[];
  /**
   * The trust gate from the viewer's perspective: may the viewer see this record's author's records of
   * this audience? Agents must never propose anything about a record for which this is false.
   */
  canSee(author: string, audience: Intent['audience']): boolean;
  /** Agent-specific settings (weights, windows); each agent documents its keys and defaults. */
  settings?: Readonly<Record<string, unknown>>;
  /**
   * Settings for one agent only (the community's weights for it, see agents/weights.ts), laid over
   * `settings` by runAgents for that agent's run.
   */
  agentSettings?: Readonly<Partial<Record<AgentName, Readonly<Record<string, unknown>>>>>;
  /** Proposal ids the viewer declined: never returned again. */
  declined?: ReadonlySet<string>;
  /** A cap on work per run: an agent stops early (returning what it has, best first) past this many steps. */
  budget?: number;
}

export interface Agent {
  name: AgentName;
  run(input: AgentInput): AgentProposal[];
}
