/**
 * The parts of each agent's score that organisers may weigh (community setting `agentWeights`), with the
 * agent's defaults, and how a community's choice becomes the agent's settings. An agent without a
 * weighted score (GovernanceCircle) has none.
 */
import { COMMONS_DEFAULT_WEIGHTS } from './commons-router.ts';
import { POOL_DEFAULT_WEIGHTS } from './conquest-of-bread.ts';
import { CIRCLE_DEFAULT_WEIGHTS } from './conscientization.ts';
import { SOLIDARITY_DEFAULT_WEIGHTS } from './counter-power.ts';
import { SKILL_SHARE_DEFAULT_WEIGHTS } from './education.ts';
import { NUDGE_DEFAULT_WEIGHTS } from './gift-flow.ts';
import { REACH_OUT_DEFAULT_WEIGHTS, WELCOME_DEFAULT_WEIGHTS } from './inclusion.ts';
import { LOW_STOCK_DEFAULT_WEIGHTS } from './inventory.ts';
import { CELEBRATION_DEFAULT_WEIGHTS } from './joy.ts';
import { MATCH_DEFAULT_WEIGHTS } from './matchmaker.ts';
import { PERISHABLES_DEFAULT_WEIGHTS } from './perishables.ts';
import { PLANTING_DEFAULT_WEIGHTS } from './permaculture.ts';
import type { AgentName } from './types.ts';
import { WORK_PARTY_DEFAULT_WEIGHTS } from './work-party.ts';

export const AGENT_WEIGHTS: Readonly<Partial<Record<AgentName, Readonly<Record<string, number>>>>> = {
  MutualAidMatchmaker: MATCH_DEFAULT_WEIGHTS,
  PerishablesDispatcher: PERISHABLES_DEFAULT_WEIGHTS,
  WorkPartyScheduler: WORK_PARTY_DEFAULT_WEIGHTS,
  CommonsRouter: COMMONS_DEFAULT_WEIGHTS,
  InventoryAgent: LOW_STOCK_DEFAULT_WEIGHTS,
  GiftFlow: NUDGE_DEFAULT_WEIGHTS,
  PermaculturePlanner: PLANTING_DEFAULT_WEIGHTS,
  EducationPathfinder: SKILL_SHARE_DEFAULT_WEIGHTS,
  ConquestOfBread: POOL_DEFAULT_WEIGHTS,
  InsurrectionaryJoy: CELEBRATION_DEFAULT_WEIGHTS,
  RadicalInclusion: { ...REACH_OUT_DEFAULT_WEIGHTS, ...WELCOME_DEFAULT_WEIGHTS },
  Conscientization: CIRCLE_DEFAULT_WEIGHTS,
  CounterPower: SOLIDARITY_DEFAULT_WEIGHTS,
};

/** An agent's weights in whole percent (0..100) as organisers see them: the defaults, or the community's choice. */
export function weightPercents(name: AgentName, chosen: Readonly<Record<string, number>> | undefined): Record<string, number> {
  const defaults = AGENT_WEIGHTS[name] ?? {};
  return Object.fromEntries(Object.entries(defaults).map(([part, d]) => [part, chosen && Object.hasOwn(chosen, part) ? chosen[part] : Math.round(d * 100)]));
}

/**
 * The agent's settings for a community's weights: every part of the agent (a part the community left out
 * keeps its default), in both forms agents read (`weights: {…}` and `weight.<part>`), so each agent
 * normalises them as it always does. Unknown parts are dropped; an empty result means "use the defaults".
 */
export function weightSettings(name: AgentName, chosen: Readonly<Record<string, number>> | undefined): Record<string, unknown> {
  if (!chosen || !AGENT_WEIGHTS[name]) return {};
  const parts = weightPercents(name, chosen);
  return { weights: parts, ...Object.fromEntries(Object.entries(parts).map(([p, v]) => [`weight.${p}`, v])) };
}
