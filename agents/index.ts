/** Every agent, in the order the Suggestions screen lists their settings. */
import { commonsRouter } from './commons-router.ts';
import { conquestOfBread } from './conquest-of-bread.ts';
import { conscientization } from './conscientization.ts';
import { counterPower } from './counter-power.ts';
import { educationPathfinder } from './education.ts';
import { giftFlow } from './gift-flow.ts';
import { governanceCircle } from './governance.ts';
import { radicalInclusion } from './inclusion.ts';
import { inventoryAgent } from './inventory.ts';
import { insurrectionaryJoy } from './joy.ts';
import { matchmaker } from './matchmaker.ts';
import { perishables } from './perishables.ts';
import { permaculture } from './permaculture.ts';
import { workParty } from './work-party.ts';
import type { Agent, AgentInput, AgentName, AgentProposal } from './types.ts';

export const AGENTS: readonly Agent[] = [
  matchmaker,
  perishables,
  workParty,
  commonsRouter,
  inventoryAgent,
  giftFlow,
  permaculture,
  educationPathfinder,
  governanceCircle,
  conquestOfBread,
  insurrectionaryJoy,
  radicalInclusion,
  conscientization,
  counterPower,
];

export interface RunReport {
  proposals: AgentProposal[];
  /** Per agent: milliseconds taken and proposals returned, or the error it threw (one agent failing never stops the rest). */
  runs: Array<{ agent: AgentName; ms: number; count: number; error?: string }>;
}

/** Runs the enabled agents one after another, each within the per-run budget, best proposals first. */
export function runAgents(input: AgentInput, enabled: ReadonlySet<AgentName>, now: () => number = () => performance.now()): RunReport {
  const report: RunReport = { proposals: [], runs: [] };
  for (const agent of AGENTS) {
    if (!enabled.has(agent.name)) continue;
    const start = now();
    try {
      const own = input.agentSettings?.[agent.name];
      const out = agent.run(own ? { ...input, settings: { ...input.settings, ...own } } : input);
      report.proposals.push(...out);
      report.runs.push({ agent: agent.name, ms: now() - start, count: out.length });
    } catch (err) {
      report.runs.push({ agent: agent.name, ms: now() - start, count: 0, error: err instanceof Error ? err.message : String(err) });
    }
  }
  report.proposals.sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return report;
}
