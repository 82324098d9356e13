/**
 * Diagnosis tool, not a benchmark: where does a phone spend the time taking in one feed of N offers?
 * `node --import tsx bench/lib/profile-join.ts [N=2000] [throttle=1] [out.cpuprofile]`
 * As `bench/join.ts` measures it: another member first writes N offers, then a newcomer (unminified
 * build, so names survive) walks the first-run screens; a V8 CPU profile of its page is recorded from
 * the tap on "join" until the phone lists them all, and self and total time are printed. With
 * RELAY_CPU_PROF=<dir> the relay is profiled over the same span too. PROFILE_UNTIL=first stops at the
 * first offer card instead (what `phone.firstScreen.ms` times); JOIN_STORED=scalars seeds as join.ts does.
 */
import { writeFileSync } from 'node:fs';
import { relayProfile } from './relay-profile.ts';
import { startRelayProcess } from '../../tests/helpers/relay-process.ts';
import { buildApp } from './build.ts';
import { launchChromium } from './chromium.ts';
import { seedOffers, type StoredAs } from './seed.ts';
import { listCountText } from './list-count.ts';
import { walkToJoin } from '../../tests/helpers/welcome-flow.ts';
import { untilQuiet } from './process-cpu.ts';
import { untilJoinPrepared } from './until-prepared.ts';
import { feedPreviewPath } from '../../src/core/protocol/routes.ts';
import { parseAutomergeUrl, type AutomergeUrl } from '@automerge/automerge-repo';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const n = Number(process.argv[2] ?? 2_000);
const throttle = Number(process.argv[3] ?? 1);
const out = process.argv[4];
const untilFirst = process.env.PROFILE_UNTIL === 'first';
const stored: StoredAs = process.env.JOIN_STORED === 'scalars' ? 'scalars' : 'text';

function name(f: ProfileNode['callFrame']): string {
  return `${f.functionName || '(anonymous)'} ${f.url.replace(/^https?:\/\/[^/]+/, '') || '(native)'}:${f.lineNumber + 1}`;
}

/** Self time per function, and total (inclusive) time per function (counted once per sample). */
function times(p: Profile): { self: Map<string, number>; total: Map<string, number>; all: number } {
  const nodes = new Map(p.nodes.map((x) => [x.id, x]));
  const parent = new Map<number, number>();
  for (const x of p.nodes) for (const c of x.children ?? []) parent.set(c, x.id);
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  let all = 0;
  p.samples.forEach((id, i) => {
    const dt = (p.timeDeltas[i] ?? 0) / 1000;
    all += dt;
    const own = name(nodes.get(id)!.callFrame);
    self.set(own, (self.get(own) ?? 0) + dt);
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const k = name(nodes.get(at)!.callFrame);
      if (seen.has(k)) continue;
      seen.add(k);
      total.set(k, (total.get(k) ?? 0) + dt);
    }
  });
  return { self, total, all };
}

const top = (m: Map<string, number>, k: number) =>
  [...m].sort((a, b) => b[1] - a[1]).slice(0, k).map(([k2, ms]) => `${ms.toFixed(0).padStart(7)} ms  ${k2}`).join('\n');

const staticDir = await buildApp({ minify: false });
const relay = await startRelayProcess({ args: ['--static-dir', staticDir], env: { LOG_LEVEL: 'warn', ...relayProfile.env() } });
const browser = await launchChromium();
try {
  // bypassCSP: the relay's CSP forbids eval, which Playwright's string predicates use.
  const seeder = await seedOffers(relay.url, n, 'Seed member', stored);
  // As bench/join.ts times it: the relay has the feed (a preview answers) and is at rest.
  for (let i = 0; i < 600 && (await fetch(`${relay.url}${feedPreviewPath(parseAutomergeUrl(seeder.feedUrl as AutomergeUrl).documentId)}`)).status !== 200; i++) await new Promise((r) => setTimeout(r, 200));
  await untilQuiet(relay.child.pid!);
  const context = await browser.newContext({ baseURL: relay.url, locale: 'en-US', bypassCSP: true });
  const page = await context.newPage();
  await page.goto('/');
  await walkToJoin(page, { name: 'Profiled phone' });
  if (!(await untilJoinPrepared(page))) process.stderr.write('profile-join: the join was not prepared within 30 s; tapping anyway\n');
  const cdp = await context.newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: throttle });
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 500 });
  await cdp.send('Profiler.start');
  // With RELAY_CPU_PROF=<dir>, the relay is profiled over the same span (bench/lib/relay-cpu-profiler.mjs).
  relayProfile.start(relay.child.pid!);
  const started = Date.now();
  await page.getByTestId('join').click();
  const expected = listCountText(n);
  if (untilFirst) await page.waitForSelector('[data-testid="intent-card"]', { timeout: 600_000 });
  else await page.waitForFunction((want) => document.querySelector('.count')?.textContent?.trim() === want, expected, { timeout: 600_000, polling: 250 });
  const wall = Date.now() - started;
  await relayProfile.write(relay.child.pid!);
  const { profile } = (await cdp.send('Profiler.stop')) as unknown as { profile: Profile };
  await seeder.close();
  if (out) writeFileSync(out, JSON.stringify(profile));
  const t = times(profile);
  console.log(`${untilFirst ? 'first card of' : 'joined'} ${n} offers in ${wall} ms wall at ${throttle}x; profiled ${t.all.toFixed(0)} ms\n\nself:\n${top(t.self, 30)}\n\ntotal:\n${top(t.total, 45)}`);
} finally {
  await browser.close();
  await relay.cleanup();
}
process.exit(0);
