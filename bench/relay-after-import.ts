/**
 * What a relay's phones meet while it takes in a member's 10,000 offers at once (issue #20: "the relay's
 * post-ingest work blocks phones for seconds after a bulk import"). A member writes them in one change;
 * the relay applies them, indexes them for discovery, runs its agents and writes them as bundles for
 * other islands. Meanwhile a probe asks `/api/status` every 100 ms, as a phone's screen polls it.
 *
 * - `relay.afterImport.statusMaxMs` / `statusP99Ms`: the slowest answers from the moment the offers are
 *   written until the relay is at rest (process-cpu.ts `untilQuiet`), and how long that took (`busyMs`).
 * - `relay.afterImport.baselineMs`: the median answer from the same relay at rest before the import, in
 *   the same run; `ratio` is the slowest answer over it.
 * Run directly (`node --import tsx bench/relay-after-import.ts`) or `npm run bench -- relay-after-import`.
 * RELAY_CPU_PROF=<dir> profiles the relay over the import (bench/lib/relay-cpu-profiler.mjs).
 *
 * What a profile showed (2026-12-06): the relay takes the member's one 2.7 MB sync message in as one
 * unbroken task of about 6 s (Automerge applying 1.2 million ops, materialising them, and automerge-repo
 * diffing the doc again: Automerge's receiveSyncMessage leaves its patch cache's `before` empty, so the
 * diff is computed twice), then writes the change-set bundle for other islands (~2 s) and indexes the
 * offers for discovery in slices.
 */
import { existsSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import { startRelayProcess } from '../tests/helpers/relay-process.ts';
import { seedOffers } from './lib/seed.ts';
import { untilQuiet } from './lib/process-cpu.ts';
import { median } from './lib/stats.ts';
import type { BenchRow } from './lib/row.ts';
import { printWhenRunDirectly } from './lib/print-when-run-directly.ts';

const N = Number(process.env.IMPORT_OFFERS ?? 10_000);
const PROBE_EVERY_MS = 100;
/** A bound on the probe loop whatever happens (10 minutes of probes). */
const MAX_PROBES = 6000;

/**
 * Asks `/api/status` one request at a time, PROBE_EVERY_MS apart, from a worker thread: the member
 * writing the offers lives in this process, and its own work (signing, sync messages) would otherwise
 * hold up the probe and be counted against the relay. Stops at `stop()` or after `max` answers.
 */
function prober(url: string, max = MAX_PROBES): { stop: () => Promise<number[]> } {
  const code = `
    const { parentPort, workerData } = require('node:worker_threads');
    let stopped = false;
    parentPort.on('message', () => { stopped = true; });
    (async () => {
      const out = [];
      while (!stopped && out.length < workerData.max) {
        const t0 = performance.now();
        const res = await fetch(workerData.url + '/api/status', { cache: 'no-store' });
        await res.arrayBuffer();
        out.push(performance.now() - t0);
        await new Promise((r) => setTimeout(r, workerData.every));
      }
      parentPort.postMessage(out);
    })();`;
  const worker = new Worker(code, { eval: true, workerData: { url, max, every: PROBE_EVERY_MS } });
  const answers = new Promise<number[]>((resolve, reject) => {
    worker.once('message', (m: number[]) => resolve(m));
    worker.once('error', reject);
  });
  return {
    stop: async () => {
      worker.postMessage('stop');
      const out = await answers;
      await worker.terminate();
      return out;
    },
  };
}

const p99 = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * 0.99))] ?? 0;
const ms = (x: number): number => Math.round(x * 10) / 10;

export async function run(): Promise<BenchRow[]> {
  // RELAY_CPU_PROF=<dir>: the relay is profiled from the import until it is at rest (relay-cpu-profiler.mjs).
  const profiling: Record<string, string> = process.env.RELAY_CPU_PROF ? { NODE_OPTIONS: `--import ${fileURLToPath(new URL('./lib/relay-cpu-profiler.mjs', import.meta.url))}` } : {};
  const relay = await startRelayProcess({ env: { LOG_LEVEL: 'warn', ...profiling } });
  let closeSeeder: (() => Promise<void>) | undefined;
  try {
    await untilQuiet(relay.child.pid!);
    const atRest = prober(relay.url, 50);
    await new Promise((r) => setTimeout(r, 60 * PROBE_EVERY_MS));
    const rest = await atRest.stop();
    const baseline = median(rest);
    process.stderr.write(`relay-after-import: at rest /api/status median ${ms(baseline)} ms\n`);
    if (process.env.RELAY_CPU_PROF) relay.child.kill('SIGUSR2');
    const t0 = performance.now();
    const during = prober(relay.url);
    const seeder = await seedOffers(relay.url, N);
    closeSeeder = seeder.close;
    const settled = await untilQuiet(relay.child.pid!, 300_000);
    const busyMs = performance.now() - t0;
    if (process.env.RELAY_CPU_PROF) {
      relay.child.kill('SIGUSR2');
      const file = `${process.env.RELAY_CPU_PROF}/relay-${relay.child.pid}.cpuprofile`;
      for (let i = 0; i < 100 && !existsSync(file); i++) await new Promise((r) => setTimeout(r, 100));
    }
    const answers = await during.stop();
    const max = Math.max(...answers);
    process.stderr.write(`relay-after-import: ${N} offers; busy ${Math.round(busyMs)} ms; /api/status max ${ms(max)} ms, p99 ${ms(p99(answers))} ms over ${answers.length} probes\n`);
    const ctx = { offers: N, probes: answers.length, busyMs: Math.round(busyMs), settled: settled.quiet };
    return [
      { name: 'relay.afterImport.statusMaxMs', value: ms(max), unit: 'ms', ...ctx },
      { name: 'relay.afterImport.statusP99Ms', value: ms(p99(answers)), unit: 'ms', ...ctx },
      { name: 'relay.afterImport.baselineMs', value: ms(baseline), unit: 'ms', note: 'median /api/status of the same relay at rest, same run' },
      { name: 'relay.afterImport.ratio', value: Math.round(max / baseline), unit: 'x baseline', ...ctx },
      { name: 'relay.afterImport.busyMs', value: Math.round(busyMs), unit: 'ms', ...ctx },
    ];
  } finally {
    await closeSeeder?.().catch(() => undefined);
    await relay.cleanup();
  }
}

await printWhenRunDirectly(import.meta.url, run);
