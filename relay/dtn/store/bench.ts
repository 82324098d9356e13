/**
 * Bundle store benchmark: durable put throughput for 1 KiB bundles in a temp dir.
 * Run directly (`node --import tsx relay/dtn/store/bench.ts`) to print JSON lines, or import `run()`.
 * Baseline in the same run: the bare durable-write recipe (temp file + fsync + rename + fsync dir)
 * with no header, checksum, index or budget — the least any crash-safe file-per-bundle store must do.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { nodeFsOps } from './fs-ops.ts';
import { BundleStore } from './store.ts';
import type { BundleMeta } from './types.ts';

export interface BenchRow {
  name: string;
  value: number;
  unit: string;
  [k: string]: unknown;
}

const SIZE = 1024;
const MAX_PUTS = 1_000_000; // bounded even on a disk that ignores fsync

function meta(i: number, now: number): BundleMeta {
  return {
    id: `dtn://bench/ ${now} ${i}`,
    source: 'dtn://bench/',
    destination: 'dtn://~community/changes',
    priority: (i % 4) as 0,
    audience: 'public',
    createdAt: now,
    expiresAt: now + 3_600_000,
    size: SIZE,
  };
}

/** Run `one(i)` from `lanes` concurrent loops until `ms` have passed; returns ops and seconds. */
async function timed(ms: number, lanes: number, one: (i: number) => Promise<unknown>): Promise<{ ops: number; secs: number }> {
  const start = performance.now();
  let next = 0;
  const lane = async (): Promise<void> => {
    while (performance.now() - start < ms && next < MAX_PUTS) await one(next++);
  };
  await Promise.all(Array.from({ length: lanes }, lane));
  return { ops: next, secs: (performance.now() - start) / 1000 };
}

async function withDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'bundle-store-bench-'));
  try {
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function storePuts(ms: number, lanes: number): Promise<{ ops: number; secs: number; reopenMs: number }> {
  return withDir(async (dir) => {
    const store = await BundleStore.open(dir);
    const payload = randomBytes(SIZE);
    const now = Date.now();
    const r = await timed(ms, lanes, (i) => store.put(meta(i, now), payload));
    await store.close();
    const t = performance.now();
    await (await BundleStore.open(dir)).close();
    return { ...r, reopenMs: performance.now() - t };
  });
}

async function rawPuts(ms: number, lanes: number): Promise<{ ops: number; secs: number }> {
  return withDir(async (dir) => {
    const payload = randomBytes(SIZE);
    return timed(ms, lanes, async (i) => {
      await nodeFsOps.writeDurable(join(dir, `t${i}`), [payload]);
      await nodeFsOps.rename(join(dir, `t${i}`), join(dir, `b${i}`));
      await nodeFsOps.syncDir(dir);
    });
  });
}

export async function run(): Promise<BenchRow[]> {
  const seq = await storePuts(2000, 1);
  const conc = await storePuts(2000, 32);
  const rawSeq = await rawPuts(1000, 1);
  const rawConc = await rawPuts(1000, 32);
  const rate = (r: { ops: number; secs: number }): number => Math.round(r.ops / r.secs);
  return [
    { name: 'bundle-store.put.1KiB.sequential', value: rate(seq), unit: 'bundles/s', puts: seq.ops, baseline: rate(rawSeq) },
    { name: 'bundle-store.put.1KiB.32-concurrent', value: rate(conc), unit: 'bundles/s', puts: conc.ops, baseline: rate(rawConc) },
    { name: 'baseline.raw-durable-write.1KiB.sequential', value: rate(rawSeq), unit: 'files/s', puts: rawSeq.ops },
    { name: 'baseline.raw-durable-write.1KiB.32-concurrent', value: rate(rawConc), unit: 'files/s', puts: rawConc.ops },
    { name: 'bundle-store.reopen', value: Math.round(conc.reopenMs), unit: 'ms', bundles: conc.ops },
  ];
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const row of await run()) process.stdout.write(JSON.stringify(row) + '\n');
}
