/**
 * Routing measured toward scale (issue #19.5): a discrete-event simulation (bench/dtn-sim/) of 50
 * islands and 10 bridges moving between them for a week, with bounded stores, driving the relay's
 * real router classes — epidemic (summary vectors), binary spray-and-wait (L = 8) and PRoPHET (RFC
 * 6693, GRTR) — over the same seeded contact plan and traffic. One row per router and store size: delivery ratio,
 * median and p95 latency, bytes moved, peak store use and evictions; once with tight stores, once roomy.
 * Run alone: `node --import tsx bench/dtn-routing.ts` or `npm run bench -- dtn-routing`.
 * DTN_SIM_CHANGESETS / DTN_SIM_MESSAGES scale the traffic (not the islands, bridges or week);
 * DTN_SIM_SEED draws another week.
 */
import { EpidemicRouter } from '../relay/dtn/routing/epidemic.ts';
import { ProphetRouter } from '../relay/dtn/routing/prophet.ts';
import { SPRAY_COPIES, SprayAndWaitRouter } from '../relay/dtn/routing/spray-and-wait.ts';
import { contactPlan, WEEK_PLAN } from './dtn-sim/contact-plan.ts';
import { reachableShare } from './dtn-sim/oracle.ts';
import { Prng } from './dtn-sim/prng.ts';
import { Simulator, type RouterFactory, type SimConfig } from './dtn-sim/simulator.ts';
import { traffic } from './dtn-sim/traffic.ts';
import { printWhenRunDirectly } from './lib/print-when-run-directly.ts';
import type { BenchRow } from './lib/row.ts';
import { median } from './lib/stats.ts';

export const ROUTERS: Record<string, RouterFactory> = {
  epidemic: (x) => new EpidemicRouter(x.store, { send: x.send }),
  'spray-and-wait': (x) => new SprayAndWaitRouter(x.store, { nodeId: x.nodeId, serves: x.serves, copies: SPRAY_COPIES, now: x.now }),
  prophet: (x) => new ProphetRouter(x.store, { nodeId: x.nodeId, serves: x.serves, now: x.now }),
};

function envInt(name: string, fallback: number): number {
  const v = Number(process.env[name]);
  return Number.isInteger(v) && v > 0 ? v : fallback;
}

function quantile(xs: number[], q: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
}

const SEED = envInt('DTN_SIM_SEED', 195);

const r3 = (x: number) => Math.round(x * 1000) / 1000;
const r1 = (x: number) => Math.round(x * 10) / 10;

/**
 * Store budgets as shares of the week's offered bytes. Tight: an island holds a fifth of the week's
 * traffic, a bridge (a phone, or a small box in a vehicle) a tenth, so stores fill and eviction decides
 * what survives. Roomy: every store could hold the whole week (bundles leave only when they expire).
 */
export const BUDGETS = { tight: { island: 1 / 5, bridge: 1 / 10 }, roomy: { island: 1, bridge: 1 } } as const;

export function config(budget: keyof typeof BUDGETS = 'tight'): SimConfig {
  const rng = new Prng(SEED);
  const contacts = contactPlan(rng, WEEK_PLAN);
  const offered = traffic(rng, WEEK_PLAN.islands, { changeSets: envInt('DTN_SIM_CHANGESETS', 600), messages: envInt('DTN_SIM_MESSAGES', 200) }, WEEK_PLAN.span);
  const total = offered.reduce((s, b) => s + b.size, 0);
  return {
    islands: WEEK_PLAN.islands,
    bridges: WEEK_PLAN.bridges,
    span: WEEK_PLAN.span,
    contacts,
    traffic: offered,
    islandBudget: Math.round(total * BUDGETS[budget].island),
    bridgeBudget: Math.round(total * BUDGETS[budget].bridge),
    bytesPerMs: 250, // 2 Mbit/s
    transferMs: 20,
  };
}

export async function run(): Promise<BenchRow[]> {
  const plan = config();
  const rows: BenchRow[] = [
    {
      name: 'dtn-routing.reachable',
      value: r3(reachableShare(plan.islands + plan.bridges, plan.contacts, plan.traffic, plan.span)),
      unit: 'delivery ratio',
      note: 'best any router could do on this plan: time-respecting paths, no store or link limits',
      contacts: plan.contacts.length,
      bundles: plan.traffic.length,
    },
  ];
  for (const budget of Object.keys(BUDGETS) as (keyof typeof BUDGETS)[]) rows.push(...measure(budget));
  return rows;
}

function measure(budget: keyof typeof BUDGETS): BenchRow[] {
  const cfg = config(budget);
  const offeredBytes = cfg.traffic.reduce((s, b) => s + b.size, 0);
  const rows: BenchRow[] = [];
  for (const [name, factory] of Object.entries(ROUTERS)) {
    const started = performance.now();
    const res = new Simulator(cfg, factory).run();
    rows.push({
      name: `dtn-routing.${budget}.${name}`,
      value: r3(res.delivered / res.pairs),
      unit: 'delivery ratio',
      router: name,
      stores: budget,
      islandBudgetMB: r1(cfg.islandBudget / 1e6),
      bridgeBudgetMB: r1(cfg.bridgeBudget / 1e6),
      changeSetDelivery: r3(res.changeSetsDelivered / res.changeSetPairs),
      messageDelivery: r3(res.messagesDelivered / res.messages),
      medianLatencyH: r1(median(res.latencies)),
      p95LatencyH: r1(quantile(res.latencies, 0.95)),
      bytesMovedMB: r1(res.bytesMoved / 1e6),
      routingMB: r1(res.routingBytes / 1e6),
      transfers: res.transfers,
      kBPerDelivery: r1(res.bytesMoved / 1e3 / Math.max(1, res.delivered)),
      peakStoreUse: r3(res.peakStoreShare),
      meanPeakStoreUse: r3(res.meanPeakStoreShare),
      evictions: res.evictions,
      refusedFull: res.refusedFull,
      islands: cfg.islands,
      bridges: cfg.bridges,
      contacts: cfg.contacts.length,
      bundles: cfg.traffic.length,
      offeredMB: r1(offeredBytes / 1e6),
      simSeconds: r1((performance.now() - started) / 1000),
    });
  }
  return rows;
}

await printWhenRunDirectly(import.meta.url, run);
