/**
 * First load over a slow mesh link: a fresh Chromium profile opens the relay's address and a new member
 * joins, measured from navigation start to the Welcome screen (`firstLoad.mesh.welcome.ms`) and to the
 * offer list after joining (`firstLoad.mesh.ms`; joining fetches the Automerge wasm). The relay runs in
 * its own network namespace behind a 2 Mbit/s token bucket (`tc tbf`; this kernel has no netem), once
 * serving the build with its brotli/gzip copies and once the same files without them.
 * Plain HTTP to a mesh address is not a secure context, so no service worker competes for the link.
 * FIRST_LOAD_BASELINE_DIR=<another build> adds `firstLoad.mesh.baseline.ms` rows for it, served as it is
 * (for before/after figures). Needs root (network namespaces); otherwise it reports why it was skipped. Run directly
 * (`node --import tsx bench/first-load-mesh.ts`) or import `run()`.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { compressDir } from '../scripts/compress.ts';
import { netnsUnavailable, TestNet } from '../tests/helpers/netns.ts';
import { startRelayProcess, type RelayProcess } from '../tests/helpers/relay-process.ts';
import { walkWelcome } from '../tests/helpers/welcome-flow.ts';
import { buildApp } from './lib/build.ts';
import { launchChromium } from './lib/chromium.ts';
import { median, round1 } from './lib/stats.ts';
import type { BenchRow } from './lib/row.ts';
import { printWhenRunDirectly } from './lib/print-when-run-directly.ts';

const RUNS = Number(process.env.FIRST_LOAD_RUNS ?? 3);
const RATE = '2mbit';
const STEP_TIMEOUT_MS = 180_000;
const RELAY_ADDR = '10.231.250.1';
const HOST_ADDR = '10.231.250.2';

function tc(...args: string[]): void {
  const r = spawnSync('tc', args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`tc ${args.join(' ')}: ${r.stderr.trim()}`);
}

interface Sample {
  welcome: number;
  list: number;
}

/** One first visit in a fresh browser context (empty HTTP cache, no IndexedDB). */
async function firstVisit(browser: Awaited<ReturnType<typeof launchChromium>>, url: string): Promise<Sample> {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
  try {
    const page = await context.newPage();
    const started = Date.now();
    await page.goto(url, { timeout: STEP_TIMEOUT_MS });
    await page.getByTestId('welcome-next').waitFor({ timeout: STEP_TIMEOUT_MS });
    const welcome = Date.now() - started;
    await walkWelcome(page, { name: 'Ana' });
    await page.locator('main[data-phase="ready"] [data-testid="empty"], main[data-phase="ready"] [data-testid="intent-card"]').first().waitFor({ timeout: STEP_TIMEOUT_MS });
    return { welcome, list: Date.now() - started };
  } finally {
    await context.close();
  }
}

export async function run(): Promise<BenchRow[]> {
  const why = netnsUnavailable();
  if (why) return [{ name: 'firstLoad.mesh.skipped', value: 0, unit: 'skipped', reason: why }];
  const built = await buildApp();
  // The same files twice: one tree as `npm run build` leaves it, one without the compressed copies.
  const plainDir = mkdtempSync(path.join(os.tmpdir(), 'spm-bench-plain-'));
  const compressedDir = mkdtempSync(path.join(os.tmpdir(), 'spm-bench-packed-'));
  cpSync(built, plainDir, { recursive: true, filter: (f) => !/\.(br|gz|xz)$/.test(f) });
  cpSync(plainDir, compressedDir, { recursive: true });
  await compressDir(compressedDir);

  const net = new TestNet();
  const relays: RelayProcess[] = [];
  let browser: Awaited<ReturnType<typeof launchChromium>> | undefined;
  try {
    const ns = net.ns('firstload');
    const { bIf } = net.link(null, HOST_ADDR, ns, RELAY_ADDR, `fl${process.pid % 10000}`);
    // Shape what the relay sends (the app's bytes flow relay → phone).
    tc('-n', ns, 'qdisc', 'add', 'dev', bIf, 'root', 'tbf', 'rate', RATE, 'burst', '16kb', 'latency', '400ms');
    // Chromium starts after the link is made: a browser that sees the host's interfaces change fails the
    // requests in flight (ERR_NETWORK_CHANGED), which slowed every first sample and once lost a screen.
    browser = await launchChromium();
    const rows: BenchRow[] = [];
    const baseline = process.env.FIRST_LOAD_BASELINE_DIR;
    const variants: Array<[string, string]> = [['compressed', compressedDir], ['uncompressed', plainDir], ...(baseline ? [['baseline', path.resolve(baseline)] as [string, string]] : [])];
    for (const [variant, dir] of variants) {
      const relay = await startRelayProcess({ netns: ns, host: RELAY_ADDR, args: ['--static-dir', dir] });
      relays.push(relay);
      const samples: Sample[] = [];
      for (let i = 0; i < RUNS; i++) samples.push(await firstVisit(browser, relay.url));
      const suffix = variant === 'compressed' ? '' : `.${variant}`;
      rows.push({ name: `firstLoad.mesh.welcome${suffix}.ms`, value: round1(median(samples.map((s) => s.welcome))), unit: 'ms', rate: RATE, runs: RUNS, samples: samples.map((s) => s.welcome) });
      rows.push({ name: `firstLoad.mesh${suffix}.ms`, value: round1(median(samples.map((s) => s.list))), unit: 'ms', rate: RATE, runs: RUNS, samples: samples.map((s) => s.list) });
      await relay.cleanup();
    }
    return rows;
  } finally {
    await browser?.close();
    for (const r of relays) await r.cleanup();
    net.destroy();
    rmSync(plainDir, { recursive: true, force: true });
    rmSync(compressedDir, { recursive: true, force: true });
  }
}

await printWhenRunDirectly(import.meta.url, run, { exitAfter: true });
