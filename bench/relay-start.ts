/**
 * How long a relay takes from `node dist-relay/main.mjs` to its listening line, on a fresh data dir (it
 * makes its keys and its default community, as every test relay does):
 * - `relay.startMs`: the relay as `npm run build` bundles it, its npm packages inside (scripts/build-relay.ts);
 * - `relay.startMs.packagesExternal`: the same sources built with every package left in node_modules, as
 *   it was built before: the baseline, measured in the same run, alternating with the first.
 * The median of RUNS starts each; `ratio` is the first over the baseline. The test suites start a relay a
 * few hundred times, so this is also time every `npm test` spends.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { buildRelay, ROOT } from '../scripts/build-relay.ts';
import { median, round1 } from './lib/stats.ts';
import type { BenchRow } from './lib/row.ts';
import { printWhenRunDirectly } from './lib/print-when-run-directly.ts';

const RUNS = 7;

/** Milliseconds until the relay at `bundle` prints its listening line; then it is killed. */
async function startOnce(bundle: string): Promise<number> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'spm-bench-start-'));
  const t0 = performance.now();
  const child = spawn(process.execPath, [bundle, '--host', '127.0.0.1', '--port', '0', '--tcpcl-port', '0', '--data-dir', dataDir, '--join-policy', 'open'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'ignore'] });
  try {
    await new Promise<void>((resolve, reject) => {
      readline.createInterface({ input: child.stdout! }).once('line', () => resolve());
      child.once('exit', (code) => reject(new Error(`relay exited with ${code} before listening`)));
    });
    return performance.now() - t0;
  } finally {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    if (child.exitCode === null) child.kill('SIGKILL');
    await exited;
    await rm(dataDir, { recursive: true, force: true });
  }
}

export async function run(): Promise<BenchRow[]> {
  // Inside the repository, so that what each build leaves external resolves from its node_modules.
  const dirs = await Promise.all(['bundled', 'external'].map((k) => mkdtemp(path.join(ROOT, `.bench-relay-${k}-`))));
  try {
    const bundled = await buildRelay(dirs[0], 'bundled');
    const external = await buildRelay(dirs[1], 'external');
    const times = { bundled: [] as number[], external: [] as number[] };
    for (let i = 0; i < RUNS; i++) {
      times.bundled.push(await startOnce(bundled));
      times.external.push(await startOnce(external));
    }
    const [b, e] = [median(times.bundled), median(times.external)];
    return [
      { name: 'relay.startMs', value: round1(b), unit: 'ms', runs: RUNS, ratio: Math.round((b / e) * 100) / 100, loadAvg: os.loadavg()[0] },
      { name: 'relay.startMs.packagesExternal', value: round1(e), unit: 'ms', runs: RUNS, baseline: true },
    ];
  } finally {
    await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
  }
}

await printWhenRunDirectly(import.meta.url, run);
