/**
 * Relay store at scale (issue: 100,000 bundles / 1 GB): how long the bundle store takes to open and how
 * much memory it holds, read from a store dir of N bundle files of ~10 KiB.
 *  - `relay.open100k.scanMs`: open after a crash (no snapshot): every header read — the baseline,
 *    which is what every open cost before the index snapshot;
 *  - `relay.open100k.ms`: open after a clean close, from the index snapshot (target ≤ 1,000 ms);
 *  - `relay.rss100k.MB`: RSS of a process that has just opened it (target ≤ 150 MB);
 *  - `relay.verify100k.ms`: the background header check that follows an open from the snapshot.
 * The files are written directly with the store's own record encoder (no fsync): the put path has its
 * own benchmark (relay/dtn/store/bench.ts); this one is about open. Each open runs in a child process.
 * RELAY_SCALE_BUNDLES changes N (default 100,000).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
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
  rssOpenMB: number;
  verifyMs: number;
  count: number;
}

function openInChild(dir: string, budget: number): Opened {
  const out = execFileSync(process.execPath, ['--import', 'tsx', join(ROOT, 'bench/lib/open-store-child.ts'), dir, String(budget)], { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 20 });
  return JSON.parse(out.trim().split('\n').pop() ?? '{}') as Opened;
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
  try {
    const bytes = fill(dir);
    const budget = Math.ceil(bytes * 1.5);
    const scan = openInChild(dir, budget); // no snapshot yet: reads every header, then closes cleanly
    const fromSnapshot = openInChild(dir, budget);
    rmSync(join(dir, SNAPSHOT_FILE), { force: true });
    const common = { bundles: N, storeMB: Math.round(bytes / 2 ** 20) };
    return [
      { name: 'relay.open100k.scanMs', value: Math.round(scan.openMs), unit: 'ms', ...common, note: 'no snapshot (after a crash): the baseline' },
      { name: 'relay.open100k.ms', value: Math.round(fromSnapshot.openMs), unit: 'ms', ...common, target: 1000, baselineMs: Math.round(scan.openMs), ratio: +(fromSnapshot.openMs / scan.openMs).toFixed(3), count: fromSnapshot.count },
      { name: 'relay.rss100k.MB', value: Math.round(fromSnapshot.rssOpenMB), unit: 'MB', ...common, target: 150, afterScanMB: Math.round(scan.rssOpenMB) },
      { name: 'relay.verify100k.ms', value: Math.round(fromSnapshot.verifyMs), unit: 'ms', ...common, note: 'background header check after an open from the snapshot' },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await printWhenRunDirectly(import.meta.url, run);
