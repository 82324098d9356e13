/**
 * Relay store at scale (issue: 100,000 bundles / 1 GB): how long the bundle store takes to open and how
 * much memory it holds, read from a store dir of N bundle files of ~10 KiB.
 *  - `relay.open100k.scanMs`: open after a crash (no snapshot): every header read — the baseline,
 *    which is what every open cost before the index snapshot;
 *  - `relay.open100k.ms`: open after a clean close, from the index snapshot (target ≤ 1,000 ms), with the
 *    CPU time it took (`cpuMs`, all threads) and the load average, since wall time on a shared machine
 *    depends on everything else running;
 *  - `relay.rss100k.MB`: RSS of a process that has just opened it (target ≤ 150 MB);
 *  - `relay.verify100k.ms`: the background header check that follows an open from the snapshot.
 * The files are written directly with the store's own record encoder (no fsync): the put path has its
 * own benchmark (relay/dtn/store/bench.ts); this one is about open. Each open runs in a child process
 * running the store bundled as the relay runs it (plain Node, no TypeScript loader); the open from the
 * snapshot is timed three times and the median reported (the machine may be shared).
 * RELAY_SCALE_BUNDLES changes N (default 100,000).
 */
import { execFileSync } from 'node:child_process';
import { buildSync } from 'esbuild';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeRecord } from '../relay/dtn/store/record.ts';
import { fileNameFor } from '../relay/dtn/store/paths.ts';
import { SNAPSHOT_FILE } from '../relay/dtn/store/index-snapshot.ts';
import type { BenchRow } from './lib/row.ts';
import { printWhenRunDirectly } from './lib/print-when-run-directly.ts';

const N = Number(process.env.RELAY_SCALE_BUNDLES ?? 100_000);
const PAYLOAD = 10 * 1024;
const ROOT = join(import.meta.dirname, '..');

interface Opened {
  openMs: number;
  openCpuMs: number;
  rssBeforeMB: number;
  rssOpenMB: number;
  verifyMs: number;
  count: number;
}

/** The child, bundled with the relay's own esbuild settings, into `outDir`. */
function bundleChild(outDir: string): string {
  const outfile = join(outDir, 'open-store-child.mjs');
  buildSync({ entryPoints: [join(ROOT, 'bench/lib/open-store-child.ts')], bundle: true, platform: 'node', format: 'esm', target: 'node20', packages: 'external', outfile, logLevel: 'warning' });
  return outfile;
}

function openInChild(child: string, dir: string, budget: number, waitForCheck: boolean): Opened {
  const out = execFileSync(process.execPath, [child, dir, String(budget), waitForCheck ? '1' : '0'], { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 20 });
  return JSON.parse(out.trim().split('\n').pop() ?? '{}') as Opened;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function fill(dir: string): number {
  const now = Date.now();
  const payload = new Uint8Array(PAYLOAD).fill(7);
  let bytes = 0;
  for (let i = 0; i < N; i++) {
    const id = `dtn://island-${i % 50}/ ${now} ${i}`;
    const rec = encodeRecord(
      { id, source: `dtn://island-${i % 50}/`, destination: 'dtn://community/~changes', priority: (i % 4) as 0, audience: 'public', createdAt: now, expiresAt: now + 30 * 86_400_000, size: PAYLOAD },
      payload,
    );
    writeFileSync(join(dir, fileNameFor(id)), Buffer.concat(rec.chunks));
    bytes += rec.fileBytes;
  }
  return bytes;
}

export async function run(): Promise<BenchRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'relay-scale-'));
  const build = mkdtempSync(join(tmpdir(), 'relay-scale-child-'));
  try {
    const child = bundleChild(build);
    const bytes = fill(dir);
    const budget = Math.ceil(bytes * 1.5);
    const scan = openInChild(child, dir, budget, true); // no snapshot yet: reads every header, then closes cleanly
    // Each open takes the snapshot and its close writes the next one.
    const quick = [openInChild(child, dir, budget, false), openInChild(child, dir, budget, false)];
    const checked = openInChild(child, dir, budget, true);
    const runs = [...quick, checked];
    rmSync(join(dir, SNAPSHOT_FILE), { force: true });
    const openMs = median(runs.map((r) => r.openMs));
    const cpuMs = median(runs.map((r) => r.openCpuMs));
    const rssMB = median(runs.map((r) => r.rssOpenMB));
    const common = { bundles: N, storeMB: Math.round(bytes / 2 ** 20) };
    return [
      { name: 'relay.open100k.scanMs', value: Math.round(scan.openMs), unit: 'ms', ...common, note: 'no snapshot (after a crash): the baseline' },
      { name: 'relay.open100k.ms', value: Math.round(openMs), unit: 'ms', ...common, target: 1000, baselineMs: Math.round(scan.openMs), ratio: +(openMs / scan.openMs).toFixed(3), runsMs: runs.map((r) => Math.round(r.openMs)), cpuMs: Math.round(cpuMs), scanCpuMs: Math.round(scan.openCpuMs), loadavg: +loadavg()[0]!.toFixed(1), count: checked.count },
      { name: 'relay.rss100k.MB', value: Math.round(rssMB), unit: 'MB', ...common, target: 150, afterScanMB: Math.round(scan.rssOpenMB), beforeOpenMB: Math.round(checked.rssBeforeMB) },
      { name: 'relay.verify100k.ms', value: Math.round(checked.verifyMs), unit: 'ms', ...common, note: 'background header check after an open from the snapshot' },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(build, { recursive: true, force: true });
  }
}

await printWhenRunDirectly(import.meta.url, run);
