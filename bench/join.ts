/**
 * A newcomer joining an island with history (issue #20): a fresh phone (built app, real Chromium,
 * real relay) joins a community whose relay already holds one feed of 10,000 signed offers.
 *
 * - `phone.join10k.ms`: from tapping "join" until the phone lists all of them ("Showing 50 of 10,000"):
 *   relay → phone sync, every signature checked, the index written.
 * - `phone.firstScreen.ms`: from tapping "join" until the first offer card is on screen.
 * The newcomer taps "join" once the phone has prepared the join while they answered (keys, repo code, wasm,
 * Automerge warmed: lib/until-prepared.ts), as a person taking a few seconds over the questions would;
 * rows say `tappedAfterPreparation: false` when it never came within 30 s.
 * - `phone.join10k.baselineMs`: the same two docs (community + feed, saved from the member who wrote
 *   them) synced between two automerge-repo Repos over a WebSocket on loopback, in this process, in
 *   the same run — what sync alone costs, with no signature checks and no index. Node is not throttled:
 *   the 4× rows also give the ratio against 4× the baseline (`ratioThrottleAdjusted`), which is how
 *   the phone's figure would compare if the baseline ran on the same slowed CPU.
 * Run directly (`node --import tsx bench/join.ts`) or `npm run bench -- join`. JOIN_OFFERS changes N;
 * JOIN_STORED=scalars stores the records as scalars (rows then carry `stored: 'scalars'`).
 */
import '@automerge/automerge';
import * as Automerge from '@automerge/automerge/slim';
import { Repo, type AutomergeUrl, type DocumentId } from '@automerge/automerge-repo';
import { WebSocketClientAdapter, WebSocketServerAdapter } from '@automerge/automerge-repo-network-websocket';
import { WebSocketServer } from 'ws';
import type { AddressInfo } from 'node:net';
import type { Browser } from '@playwright/test';
import { startRelayProcess, type RelayProcess } from '../tests/helpers/relay-process.ts';
import type { FeedDoc } from '../src/core/model/types.ts';
import { buildApp } from './lib/build.ts';
import { launchChromium } from './lib/chromium.ts';
import { seedOffers, type Seeder, type StoredAs } from './lib/seed.ts';
import { listCountText } from './lib/list-count.ts';
import { walkToJoin } from '../tests/helpers/welcome-flow.ts';
import { untilQuiet } from './lib/process-cpu.ts';
import { untilJoinPrepared } from './lib/until-prepared.ts';

import type { BenchRow } from './lib/row.ts';
import { printWhenRunDirectly } from './lib/print-when-run-directly.ts';

const N = Number(process.env.JOIN_OFFERS ?? 10_000);
/** JOIN_STORED=scalars: the member stores its records as scalars (lib/seed.ts), as writers will once records-as-scalars-write lands. */
const STORED: StoredAs = process.env.JOIN_STORED === 'scalars' ? 'scalars' : 'text';
const THROTTLES = [1, 4];
const TARGET_RATIO = 1.2;
const FIRST_SCREEN_TARGET_MS = 2000;
const JOIN_TIMEOUT_MS = 600_000;

/** Two automerge-repo Repos, one WebSocket on loopback: B finds the same community and feed docs A holds. */
async function baseline(seeder: Seeder): Promise<number> {
  const docs = await Promise.all([seeder.communityUrl, seeder.feedUrl].map(async (u) => Automerge.save((await seeder.repo.find(u as AutomergeUrl)).doc())));
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise((r) => wss.once('listening', r));
  const repoA = new Repo({ network: [new WebSocketServerAdapter(wss as unknown as ConstructorParameters<typeof WebSocketServerAdapter>[0])] });
  const ids: DocumentId[] = docs.map((d) => repoA.import(d).documentId);
  const start = performance.now();
  const repoB = new Repo({ network: [new WebSocketClientAdapter(`ws://127.0.0.1:${(wss.address() as AddressInfo).port}`)] });
  try {
    await new Promise((resolve) => repoB.networkSubsystem.once('peer', resolve));
    const [, feed] = await Promise.all(ids.map((id) => repoB.find<FeedDoc>(id)));
    const ms = performance.now() - start;
    if (Object.keys(feed.doc().intents).length !== N) throw new Error('baseline did not get every offer');
    return ms;
  } finally {
    await repoB.shutdown();
    await repoA.shutdown();
    wss.close();
  }
}

/** A fresh phone joins; times to the first card and to the whole list, from the tap on "join". */
async function phoneJoin(browser: Browser, relay: RelayProcess, throttle: number): Promise<{ firstScreen: number; join: number; sawProgress: boolean; prepared: boolean }> {
  const context = await browser.newContext({ baseURL: relay.url, locale: 'en-US', viewport: { width: 360, height: 740 }, hasTouch: true, isMobile: true });
  try {
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: throttle });
    await page.goto('/');
    await walkToJoin(page, { name: 'Newcomer' });
    const prepared = await untilJoinPrepared(page);
    // In-page marks, so polling from here does not decide the figures.
    // A string, not a function: tsx's helpers (__name) do not exist in the page.
    await page.evaluate(`(() => {
      const w = window;
      w.__join = {};
      const want = ${JSON.stringify(listCountText(N))};
      const seen = () => {
        if (document.querySelector('[data-testid="intake-progress"]')) w.__join.progress = true;
        if (w.__join.first === undefined && document.querySelector('[data-testid="intent-card"]')) w.__join.first = performance.now();
        const count = document.querySelector('.count')?.textContent?.trim();
        if (w.__join.all === undefined && count === want) w.__join.all = performance.now();
      };
      new MutationObserver(seen).observe(document.body, { subtree: true, childList: true, characterData: true });
    })()`);
    const tapped = (await page.evaluate('performance.now()')) as number;
    await page.getByTestId('join').click();
    await page.waitForFunction(() => (window as unknown as { __join: { all?: number } }).__join.all !== undefined, undefined, { timeout: JOIN_TIMEOUT_MS, polling: 500 });
    const marks = (await page.evaluate('window.__join')) as { first: number; all: number; progress?: boolean };
    return { firstScreen: marks.first - tapped, join: marks.all - tapped, sawProgress: Boolean(marks.progress), prepared };
  } finally {
    await context.close();
  }
}

export async function run(): Promise<BenchRow[]> {
  const staticDir = await buildApp();
  const relay = await startRelayProcess({ args: ['--static-dir', staticDir], env: { LOG_LEVEL: 'warn' } });
  const browser = await launchChromium();
  let seeder: Seeder | undefined;
  try {
    seeder = await seedOffers(relay.url, N, 'Seed member', STORED);
    // A first newcomer (unthrottled, not counted) proves the relay holds the whole feed before any timing.
    const warm = await phoneJoin(browser, relay, 1);
    process.stderr.write(`join: first phone (warm-up, relay still taking the feed in) listed all ${N} in ${Math.round(warm.join)} ms\n`);
    const rows: BenchRow[] = [];
    // The baseline's Repos hold the docs in memory, at rest; the relay is timed at rest too (untilQuiet).
    for (const throttle of THROTTLES) {
      const base = await baseline(seeder);
      process.stderr.write(`join: baseline (two automerge-repo Repos) ${Math.round(base)} ms\n`);
      const rest = await untilQuiet(relay.child.pid!);
      process.stderr.write(`join: relay at rest after ${rest.waitedMs} ms${rest.quiet ? '' : ' (still busy: timed anyway)'}\n`);
      const phone = await phoneJoin(browser, relay, throttle);
      process.stderr.write(`join: phone at ${throttle}× CPU: first card ${Math.round(phone.firstScreen)} ms, all ${N} in ${Math.round(phone.join)} ms\n`);
      const ratio = phone.join / base;
      const ctx = { offers: N, stored: STORED, cpuThrottle: throttle, tappedAfterPreparation: phone.prepared };
      rows.push(
        { name: 'phone.join10k.ms', value: Math.round(phone.join), unit: 'ms', ...ctx, progressShown: phone.sawProgress },
        { name: 'phone.join10k.baselineMs', value: Math.round(base), unit: 'ms', ...ctx, note: 'two automerge-repo Repos over loopback WebSocket, same docs, Node, not throttled' },
        { name: 'phone.join10k.ratio', value: Math.round(ratio * 100) / 100, unit: 'x baseline', ...ctx, ratioThrottleAdjusted: Math.round((phone.join / (base * throttle)) * 100) / 100, target: TARGET_RATIO },
        { name: 'phone.firstScreen.ms', value: Math.round(phone.firstScreen), unit: 'ms', ...ctx, target: FIRST_SCREEN_TARGET_MS, pass: phone.firstScreen <= FIRST_SCREEN_TARGET_MS },
      );
    }
    return rows;
  } finally {
    await seeder?.close().catch(() => undefined);
    await browser.close();
    await relay.cleanup();
  }
}

await printWhenRunDirectly(import.meta.url, run);
