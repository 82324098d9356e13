/**
 * Agent benchmark (`npm run bench -- agents`): the matchmaker over 10,000 offers × 10,000 needs (target
 * ≤ 300 ms in Node, median of seven runs after warm-ups) and each agent over a 10,000-record community
 * (4,000 offers, 4,000 needs, 2,000 events among 1,000 members). Baseline in the same run: the number of
 * pairs an all-pairs matcher would score against the pairs the pruned one did.
 * The viewer sees everything here (the gate always says yes): the most work an agent can be given.
 */
import type { Agent, AgentInput } from '../agents/types.ts';
import { matchmaker, matchSettings } from '../agents/matchmaker.ts';
import { perishables } from '../agents/perishables.ts';
import { workParty } from '../agents/work-party.ts';
import { commonsRouter } from '../agents/commons-router.ts';
import { inventoryAgent } from '../agents/inventory.ts';
import { giftFlow } from '../agents/gift-flow.ts';
import { permaculture } from '../agents/permaculture.ts';
import { generate, input } from '../tests/helpers/agents/communities.ts';
import { printWhenRunDirectly } from './lib/print-when-run-directly.ts';

type Row = Record<string, unknown>;

const AGENTS: Array<[string, Agent]> = [
  ['matchmaker', matchmaker],
  ['perishables', perishables],
  ['work-party', workParty],
  ['commons-router', commonsRouter],
  ['inventory', inventoryAgent],
  ['gift-flow', giftFlow],
  ['permaculture', permaculture],
];

const mid = (xs: number[]) => Math.round([...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] * 10) / 10;

/**
 * Median wall time of `runs` runs after two warm-ups (JIT tiers), plus median CPU time of this process:
 * on a shared, loaded machine the wall time also counts waiting for a core, CPU time does not.
 */
function median(runs: number, fn: () => unknown): { ms: number; cpuMs: number; last: unknown } {
  fn();
  fn();
  const wall: number[] = [];
  const cpu: number[] = [];
  let last: unknown;
  for (let i = 0; i < runs; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    last = fn();
    wall.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  return { ms: mid(wall), cpuMs: mid(cpu), last };
}

function matchRows(): Row[] {
  const members = generate(7, { members: 2_000, offers: 10_000, needs: 10_000 });
  const inp: AgentInput = input(members, { viewer: 'm0' });
  const { ms, cpuMs, last } = median(7, () => matchmaker.run(inp));
  const s = matchSettings(inp);
  const proposals = (last as unknown[]).length;
  return [
    { name: 'agents.matchmaker.10k_x_10k.ms', value: ms, unit: 'ms', target: 300, cpu_ms: cpuMs, proposals },
    { name: 'agents.matchmaker.10k_x_10k.pairs_scored_max', value: 10_000 * s.candidatesPerOffer, unit: 'pairs', baseline_all_pairs: 100_000_000 },
  ];
}

function agentRows(): Row[] {
  const members = generate(11, { members: 1_000, offers: 4_000, needs: 4_000, events: 2_000 });
  const inp = input(members, { viewer: 'm0' });
  const rows: Row[] = [];
  let total = 0;
  for (const [name, agent] of AGENTS) {
    const { ms, cpuMs, last } = median(5, () => agent.run(inp));
    total += ms;
    rows.push({ name: `agents.${name}.10k_records.ms`, value: ms, unit: 'ms', cpu_ms: cpuMs, proposals: (last as unknown[]).length });
  }
  rows.push({ name: 'agents.seven.10k_records.total_ms', value: Math.round(total * 10) / 10, unit: 'ms' });
  return rows;
}

export async function run(): Promise<Row[]> {
  return [...matchRows(), ...agentRows()];
}

await printWhenRunDirectly(import.meta.url, run);
