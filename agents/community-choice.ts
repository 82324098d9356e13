/**
 * What a community's organisers chose for its agents, as their steward-signed settings say it (read by
 * readCommunity, which honours only signed, in-bounds records): which agents may run here and how much
 * each part of an agent's score counts. The phone and the community hub both run agents from this one
 * reading, so a helper an organiser switched off is off everywhere and weighs the same everywhere.
 */
import { agentSettingId } from '../src/core/model/agent-setting-id.ts';
import type { CommunitySettings } from '../src/core/model/community-settings.ts';
import type { AgentInput, AgentName } from './types.ts';
import { weightSettings } from './weights.ts';

export interface AgentChoice {
  /** The wanted agents the community lets run, in the order wanted. */
  enabled: AgentName[];
  /** Per agent, its settings for the community's weights (see runAgents' `agentSettings`). */
  agentSettings: NonNullable<AgentInput['agentSettings']>;
}

/**
 * `wanted` are the agents this runner would run (a person's own switches, or the hub's island agents).
 * An empty or absent `agents` setting means the organisers have not chosen: every wanted agent runs.
 * A runner can switch a helper off for itself, never on against the community.
 */
export function communityAgentChoice(signed: Pick<CommunitySettings, 'agents' | 'agentWeights'> | undefined, wanted: readonly AgentName[]): AgentChoice {
  const chosen = signed?.agents ?? [];
  const enabled = chosen.length ? wanted.filter((n) => chosen.includes(agentSettingId(n))) : [...wanted];
  const agentSettings: Partial<Record<AgentName, Record<string, unknown>>> = {};
  for (const n of enabled) {
    const own = weightSettings(n, signed?.agentWeights?.[agentSettingId(n)]);
    if (Object.keys(own).length) agentSettings[n] = own;
  }
  return { enabled, agentSettings };
}
