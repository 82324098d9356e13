/**
 * Web-of-trust benchmark: personal scores for one viewer on generated community graphs.
 * Run directly (`node --import tsx bench/trust.ts`) to print JSON lines, or import `run()`.
 * Baseline in the same run: a plain breadth-first search over the same graph (the least any
 * distance-aware score must do).
 */
import { createIdentity } from '../src/core/crypto/keys.ts';
import { buildGraph, hopCounts } from '../src/core/trust/graph.ts';
import { computeScores } from '../src/core/trust/score.ts';
import { createVouch, checkVouch } from '../src/core/trust/vouch.ts';
import { rng } from '../tests/helpers/prng.ts';
import type { BenchRow } from './lib/row.ts';
import { printWhenRunDirectly } from './lib/print-when-run-directly.ts';


/** Neighbourhoods of 25; 70% of vouches stay local, half are returned (in-person vouching is mutual). */
export function communityVouches(people: number, vouches: number, seed: number) {
  const r = rng(seed);
  const id = (i: number) => `m${i.toString().padStart(6, '0')}`;
  const out: { from: string; to: string; strength: 1 | 2 | 3 }[] = [];
  while (out.length < vouches) {
    const a = Math.floor(r() * people);
    const local = r() < 0.7;
    const b = local ? Math.floor(a / 25) * 25 + Math.floor(r() * 25) : Math.floor(r() * people);
    if (b === a || b >= people) continue;
    const strength = (1 + Math.floor(r() * 3)) as 1 | 2 | 3;
    out.push({ from: id(a), to: id(b), strength });
    if (r() < 0.5 && out.length < vouches) out.push({ from: id(b), to: id(a), strength });
  }
  return { viewer: id(0), vouches: out };
}

function timeMedian(runs: number, fn: () => void): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

function scoreRows(people: number, vouches: number): BenchRow[] {
  const { viewer, vouches: vs } = communityVouches(people, vouches, 42);
  const g = buildGraph(vs);
  computeScores(g, viewer); // warm-up
  const scoreMs = timeMedian(7, () => computeScores(g, viewer));
  const bfsMs = timeMedian(7, () => hopCounts(g, g.index.get(viewer) as number, 10));
  const buildMs = timeMedian(3, () => buildGraph(vs));
  const reached = computeScores(g, viewer).scores.size;
  const tag = `${people}x${vouches}`;
  return [
    { name: `trust.scores.${tag}`, value: round(scoreMs), unit: 'ms', people, vouches, reached },
    { name: `trust.bfs-baseline.${tag}`, value: round(bfsMs), unit: 'ms' },
    { name: `trust.build-graph.${tag}`, value: round(buildMs), unit: 'ms' },
  ];
}

/** Signature checks dominate collecting vouches from feeds: measured per vouch. */
function verifyRow(): BenchRow {
  const a = createIdentity();
  const b = createIdentity();
  const vs = Array.from({ length: 100 }, (_, i) => createVouch(a, { to: b.agentId, strength: 2, note: 'n' }, i));
  const ms = timeMedian(3, () => vs.forEach((v) => checkVouch(v, a.agentId, 0)));
  return { name: 'trust.verify-vouch', value: round((ms / vs.length) * 1000), unit: 'us/vouch' };
}

const round = (x: number) => Math.round(x * 100) / 100;

export async function run(): Promise<BenchRow[]> {
  return [...scoreRows(2_000, 20_000), ...scoreRows(10_000, 50_000), verifyRow()];
}

await printWhenRunDirectly(import.meta.url, run);
