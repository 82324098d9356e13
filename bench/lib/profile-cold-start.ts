/**
 * Diagnosis tool, not a benchmark: where does a cold start with N offers spend its time?
 * `node --import tsx bench/lib/profile-cold-start.ts [N=10000] [throttle=4] [out.cpuprofile]`
 * Seeds a phone as bench/cold-start.ts does (unminified build, so names survive), then records a
 * V8 CPU profile from navigation to the first card and prints self time by function and by file.
 */
import { writeFileSync } from 'node:fs';
import type { BrowserContext, Page } from '@playwright/test';
import { startRelayProcess } from '../../tests/helpers/relay-process.ts';
import { walkWelcome } from '../../tests/helpers/welcome-flow.ts';
import { buildApp } from './build.ts';
import { launchChromium } from './chromium.ts';
import { FIRST_RENDER_PROBE } from './first-render-probe.ts';
import { seedOffers } from './seed.ts';
import { listCountText } from './list-count.ts';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

const n = Number(process.argv[2] ?? 10_000);
const throttle = Number(process.argv[3] ?? 4);
const out = process.argv[4];

async function seeded(context: BrowserContext, relayUrl: string): Promise<void> {
  const page = await context.newPage();
  await page.goto('/');
  await walkWelcome(page, { name: 'Profiled phone' });
  await page.locator('main[data-phase="ready"]').waitFor();
  const started = Date.now();
  const seeder = await seedOffers(relayUrl, n);
  const expected = listCountText(n);
  for (let i = 0; i < 1200; i++) {
    const text = await page.locator('.count').textContent({ timeout: 1000 }).catch(() => null);
    if (i % 20 === 0) process.stderr.write(`  +${((Date.now() - started) / 1000).toFixed(0)} s: ${text}\n`);
    if (text?.trim() === expected) break;
    await page.waitForTimeout(500);
  }
  process.stderr.write(`seeded ${n} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  await seeder.close();
  await page.close();
}

async function profiledStart(context: BrowserContext): Promise<{ profile: Profile; marks: unknown }> {
  const page: Page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: throttle });
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  await cdp.send('Profiler.start');
  await page.goto('/', { waitUntil: 'commit' });
  await page.waitForFunction('window.__firstRender?.frame !== undefined', undefined, { timeout: 60_000, polling: 50 });
  const { profile } = (await cdp.send('Profiler.stop')) as unknown as { profile: Profile };
  const marks = await page.evaluate('window.__firstRender');
  await page.close();
  return { profile, marks };
}

interface TraceEvent {
  name: string;
  ph: string;
  ts: number;
  dur?: number;
  pid: number;
  tid: number;
  args?: { name?: string };
}

/** A traced start: exclusive time per trace event name on the renderer's main thread. */
async function tracedStart(context: BrowserContext): Promise<Map<string, number>> {
  const page: Page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: throttle });
  const browser = context.browser()!;
  await browser.startTracing(page, { categories: ['devtools.timeline', 'v8', 'v8.execute', 'disabled-by-default-devtools.timeline', 'blink', 'IndexedDB'] });
  await page.goto('/', { waitUntil: 'commit' });
  await page.waitForFunction('window.__firstRender?.frame !== undefined', undefined, { timeout: 60_000, polling: 50 });
  const events = (JSON.parse((await browser.stopTracing()).toString()) as { traceEvents: TraceEvent[] }).traceEvents;
  await page.close();
  return mainThreadSelfTime(events);
}

function mainThreadSelfTime(events: TraceEvent[]): Map<string, number> {
  const main = events.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`);
  const byThread = new Map<string, TraceEvent[]>();
  for (const e of events) {
    if (e.ph !== 'X' || !main.includes(`${e.pid}:${e.tid}`)) continue;
    const k = `${e.pid}:${e.tid}`;
    byThread.set(k, [...(byThread.get(k) ?? []), e]);
  }
  const self = new Map<string, number>();
  for (const list of byThread.values()) {
    list.sort((a, b) => a.ts - b.ts || (b.dur ?? 0) - (a.dur ?? 0));
    // Exclusive time: each event's duration minus that of its direct children (events nest properly).
    const stack: Array<{ e: TraceEvent; end: number; child: number }> = [];
    const close = (upTo: number) => {
      while (stack.length && stack[stack.length - 1].end <= upTo) {
        const top = stack.pop()!;
        self.set(top.e.name, (self.get(top.e.name) ?? 0) + ((top.e.dur ?? 0) - top.child) / 1000);
      }
    };
    for (const e of list) {
      close(e.ts);
      if (stack.length) stack[stack.length - 1].child += e.dur ?? 0;
      stack.push({ e, end: e.ts + (e.dur ?? 0), child: 0 });
    }
    close(Infinity);
  }
  return self;
}

function selfTimes(p: Profile): { byFn: Map<string, number>; byFile: Map<string, number>; total: number } {
  const nodes = new Map(p.nodes.map((x) => [x.id, x]));
  const byFn = new Map<string, number>();
  const byFile = new Map<string, number>();
  let total = 0;
  p.samples.forEach((id, i) => {
    const dt = (p.timeDeltas[i] ?? 0) / 1000;
    const f = nodes.get(id)!.callFrame;
    const file = f.url.replace(/^https?:\/\/[^/]+/, '') || '(native)';
    const fn = `${f.functionName || '(anonymous)'} ${file}:${f.lineNumber + 1}`;
    byFn.set(fn, (byFn.get(fn) ?? 0) + dt);
    byFile.set(file, (byFile.get(file) ?? 0) + dt);
    total += dt;
  });
  return { byFn, byFile, total };
}

function top(m: Map<string, number>, k: number): string {
  return [...m].sort((a, b) => b[1] - a[1]).slice(0, k).map(([name, ms]) => `${ms.toFixed(0).padStart(7)} ms  ${name}`).join('\n');
}

const staticDir = await buildApp({ minify: false });
const relay = await startRelayProcess({ args: ['--static-dir', staticDir], env: { LOG_LEVEL: 'warn' } });
const browser = await launchChromium();
try {
  // bypassCSP: the relay's CSP forbids eval, which Playwright's string predicates (waitForFunction) use.
  const context = await browser.newContext({ baseURL: relay.url, locale: 'en-US', viewport: { width: 360, height: 740 }, bypassCSP: true });
  await context.addInitScript(FIRST_RENDER_PROBE);
  await seeded(context, relay.url);
  await profiledStart(context); // warm caches, as the benchmark does
  const { profile, marks } = await profiledStart(context);
  if (out) writeFileSync(out, JSON.stringify(profile));
  const t = selfTimes(profile);
  const traced = await tracedStart(context);
  console.log(`main-thread self time by trace event (separate traced start):\n${top(traced, 25)}\n`);
  console.log(`marks: ${JSON.stringify(marks)}\nprofiled ${t.total.toFixed(0)} ms at ${throttle}x\n\nself time by function:\n${top(t.byFn, 30)}\n\nself time by file:\n${top(t.byFile, 10)}`);
} finally {
  await browser.close();
  await relay.cleanup();
}
process.exit(0);
