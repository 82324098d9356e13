/**
 * What a relay's phones meet while it takes in a member's 10,000 offers at once (issue #20: "the relay's
 * post-ingest work blocks phones for seconds after a bulk import"). A member writes them in one change;
 * the relay applies them, indexes them for discovery, runs its agents and writes them as bundles for
 * other islands. Meanwhile a probe in a process of its own (lib/status-poller.ts) asks `/api/status`
 * every 100 ms, as a phone's screen polls it.
 *
 * - `relay.afterImport.statusMaxMs` / `statusP99Ms`: the slowest answers from the moment the offers are
 *   written until the relay is at rest (process-cpu.ts `untilQuiet`), and how long that took (`busyMs`).
 * - `relay.afterImport.baselineMs`: the median answer from the same relay at rest before the import, in
 *   the same run; `ratio` is the slowest answer over it.
 * - `relay.afterImport.scalars.*`: the same on a fresh relay with the offers and member entry stored as
 *   Automerge scalars (openspec/changes/records-as-scalars-write), and `scalarsOverText` the two ratios.
 * Run directly (`node --import tsx bench/relay-after-import.ts`) or `npm run bench -- relay-after-import`.
 * RELAY_CPU_PROF=<dir> profiles the relay over the import (bench/lib/relay-cpu-profiler.mjs).
 *
 * What a profile showed (2026-12-06): the relay took the member's one 2.7 MB sync message in as one
 * unbroken task of about 6 s (Automerge applying 1.2 million ops, materialising them, and automerge-repo
 * diffing the doc a second time), then built a change bundle it threw away (~2 s), then indexed the offers
 * for discovery in slices. The second diff and the thrown-away bundle are gone (relay/automerge-hooks.ts,
 * src/core/sync/emitter.ts); the first task is most of what remains.
 */
import { startRelayProcess } from '../tests/helpers/relay-process.ts';
import { seedOffers, type StoredAs } from './lib/seed.ts';
import { untilQuiet } from './lib/process-cpu.ts';
import { median, quantile } from './lib/stats.ts';
import { startStatusPoller } from './lib/status-poller.ts';
import type { BenchRow } from './lib/row.ts';
import { printWhenRunDirectly } from './lib/print-when-run-directly.ts';
import { relayProfile } from './lib/relay-profile.ts';

const N = Number(process.env.IMPORT_OFFERS ?? 10_000);
const PROBE_EVERY_MS = 100;
/** A bound on the probe loop whatever happens (10 minutes of probes). */
const MAX_PROBES = 6000;

const ms = (x: number): number => Math.round(x * 10) / 10;

/**
 * One import on a fresh relay, its records stored as `stored` (lib/seed.ts): rows named `prefix.*`.
 * Text is what phones write today; scalars what they will write (openspec/changes/records-as-scalars-write),
 * measured in the same run so the two compare.
 */
async function importOnce(stored: StoredAs, prefix: string): Promise<BenchRow[]> {
  // RELAY_CPU_PROF=<dir>: the relay is profiled from the import until it is at rest (relay-cpu-profiler.mjs).
  const relay = await startRelayProcess({ env: { LOG_LEVEL: 'warn', ...relayProfile.env() } });
  let closeSeeder: (() => Promise<void>) | undefined;
  try {
    await untilQuiet(relay.child.pid!);
    const atRest = startStatusPoller(relay.url, PROBE_EVERY_MS, 50);
    await new Promise((r) => setTimeout(r, 60 * PROBE_EVERY_MS));
    const rest = await atRest.stop();
    const baseline = median(rest);
    process.stderr.write(`relay-after-import (${stored}): at rest /api/status median ${ms(baseline)} ms\n`);
    relayProfile.start(relay.child.pid!);
    const t0 = performance.now();
    const during = startStatusPoller(relay.url, PROBE_EVERY_MS, MAX_PROBES);
    const seeder = await seedOffers(relay.url, N, 'Seed member', stored);
    closeSeeder = seeder.close;
    const settled = await untilQuiet(relay.child.pid!, 300_000);
    const busyMs = performance.now() - t0;
    await relayProfile.write(relay.child.pid!);
    const answers = await during.stop();
    if (answers.some((l) => l < 0)) throw new Error('/api/status went unanswered during the import');
    const max = Math.max(...answers);
    process.stderr.write(`relay-after-import (${stored}): ${N} offers; busy ${Math.round(busyMs)} ms; /api/status max ${ms(max)} ms, p99 ${ms(quantile(answers, 0.99))} ms over ${answers.length} probes\n`);
    const ctx = { offers: N, stored, probes: answers.length, busyMs: Math.round(busyMs), settled: settled.quiet };
    return [
      { name: `${prefix}.statusMaxMs`, value: ms(max), unit: 'ms', ...ctx },
      { name: `${prefix}.statusP99Ms`, value: ms(quantile(answers, 0.99)), unit: 'ms', ...ctx },
      { name: `${prefix}.baselineMs`, value: ms(baseline), unit: 'ms', note: 'median /api/status of the same relay at rest, same run' },
      { name: `${prefix}.ratio`, value: Math.round(max / baseline), unit: 'x baseline', ...ctx },
      { name: `${prefix}.busyMs`, value: Math.round(busyMs), unit: 'ms', ...ctx },
    ];
  } finally {
    await closeSeeder?.().catch(() => undefined);
    await relay.cleanup();
  }
}

export async function run(): Promise<BenchRow[]> {
  const text = await importOnce('text', 'relay.afterImport');
  const scalars = await importOnce('scalars', 'relay.afterImport.scalars');
  const max = (rows: BenchRow[]) => rows.find((r) => r.name.endsWith('.statusMaxMs'))!.value;
  const busy = (rows: BenchRow[]) => rows.find((r) => r.name.endsWith('.busyMs'))!.value;
  return [
    ...text,
    ...scalars,
    { name: 'relay.afterImport.scalarsOverText.statusMax', value: Math.round((max(scalars) / max(text)) * 100) / 100, unit: 'x text', note: 'slowest answer with the offers stored as scalars over stored as text, same run' },
    { name: 'relay.afterImport.scalarsOverText.busy', value: Math.round((busy(scalars) / busy(text)) * 100) / 100, unit: 'x text', note: 'time until the relay is at rest, scalars over text, same run' },
  ];
}

await printWhenRunDirectly(import.meta.url, run);
