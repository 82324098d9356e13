/**
 * Authenticated sync sessions under abuse, on a real relay process (loopback):
 * - sessions.statusP99Ms: /api/status latency, 99th percentile, polled every 50 ms while one socket asks
 *   for 10,000 random doc ids and 2,000 more authenticated sockets sit idle (target ≤ 100 ms);
 * - sessions.rssGrowthMb: the relay's resident memory at the end of that minus before it (target ≤ 50 MB);
 * - sessions.relayCpuMsPerThousandMisses: CPU time (user + system) the relay spent from the start of the
 *   flood until its last miss was answered, per 1,000 ids (the honest phone's sync and the idle
 *   sockets' keepalives included): what the flood costs the relay, whatever else runs on the machine;
 * - sessions.honestSyncRatio: how long an honest phone takes to get a community of 50 offers when it
 *   starts with the flood (the median of FLOODS floods), over the median of quiet syncs of the same relay
 *   (target ≤ 1.2); the honest syncs that follow while each flood goes on are listed beside it. One sync
 *   of each kind varied by half between runs on this machine, more than the effect. Every honest phone
 *   joins, so each later one takes in a longer member list: the quiet syncs are taken before the abuser
 *   comes and after it has gone, so that they bracket the loaded ones.
 * The abuser (idle sockets and flooder) runs in a process of its own, as it would on its own device.
 * RELAY_CPU_PROF=<dir> profiles the relay from the flood until its last miss is answered
 * (bench/lib/relay-cpu-profiler.mjs).
 */
import type { AutomergeUrl } from '@automerge/automerge-repo';
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { NodePhone, offers } from '../tests/helpers/phone-client.ts';
import { startRelayProcess } from '../tests/helpers/relay-process.ts';
import { median, quantile, round1 } from './lib/stats.ts';
import { startStatusPoller } from './lib/status-poller.ts';
import { cpuMs, untilQuiet } from './lib/process-cpu.ts';
import { relayProfile } from './lib/relay-profile.ts';

const RANDOM_IDS = 10_000;
const IDLE_SOCKETS = 2_000;
const OFFERS = 50;
/** The quiet baseline is a median: one quiet sync alone varied by a third between runs. */
const QUIET_RUNS = 5;
/** Floods in a row, each with an honest sync starting at its burst (the figures above cover them all). */
const FLOODS = 3;

async function rssMb(pid: number): Promise<number> {
  return Number(/VmRSS:\s+(\d+)/.exec(await readFile(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
}

/** Time for a fresh phone (the real client) to join and see every offer of the community. */
async function honestSync(relayUrl: string, community: AutomergeUrl): Promise<number> {
  const t0 = performance.now();
  const p = new NodePhone(relayUrl);
  try {
    await p.join('Honest', community);
    for (let i = 0; i < 2000; i++) {
      const titles = p.titles();
      if (titles.filter((t) => t.startsWith('Bench offer')).length === OFFERS) return performance.now() - t0;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error('honest phone never got the community');
  } finally {
    await p.close();
  }
}

/** The abuser, in a process of its own (bench/lib/session-flood.ts): idle sockets and one flooding socket. */
function startAbuser(relayUrl: string, community: AutomergeUrl): { ready: Promise<void>; flood(): Promise<number>; stop(): Promise<void> } {
  const script = path.join(path.dirname(fileURLToPath(import.meta.url)), 'lib/session-flood.ts');
  const child = spawn(process.execPath, ['--import', 'tsx', script, relayUrl, community, String(RANDOM_IDS), String(IDLE_SOCKETS)], { stdio: ['pipe', 'pipe', 'inherit'] });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const lines = createInterface({ input: child.stdout });
  const next = (prefix: string): Promise<string> =>
    new Promise((resolve, reject) => {
      const onLine = (line: string): void => {
        if (!line.startsWith(prefix)) return;
        lines.off('line', onLine);
        resolve(line);
      };
      lines.on('line', onLine);
      void exited.then(() => reject(new Error(`the abuser process ended before it said "${prefix}"`)));
    });
  return {
    ready: next('ready').then(() => undefined),
    async flood() {
      const answered = next('misses');
      child.stdin.write('go\n');
      return Number((await answered).split(' ')[1]);
    },
    async stop() {
      child.stdin.end();
      await exited;
    },
  };
}

export async function run(): Promise<Array<Record<string, unknown>>> {
  const relay = await startRelayProcess({ args: ['--node-name', 'bench-sessions', '--agents-interval-ms', '0'], env: { LOG_LEVEL: 'warn', ...relayProfile.env() } });
  let abuser: ReturnType<typeof startAbuser> | undefined;
  try {
    const info = (await (await fetch(`${relay.url}/api/info`)).json()) as { communities: Array<{ url: AutomergeUrl }> };
    const community = info.communities[0].url;
    const ana = new NodePhone(relay.url);
    await ana.join('Ana', community);
    await ana.post(offers('Bench offer', OFFERS));
    await honestSync(relay.url, community); // warm: the relay holds everything and has loaded it
    const quiet: number[] = [];
    for (let i = 0; i < QUIET_RUNS; i++) quiet.push(await honestSync(relay.url, community));

    const before = await rssMb(relay.child.pid!);
    abuser = startAbuser(relay.url, community);
    await abuser.ready;
    const poller = startStatusPoller(relay.url, 50);

    // With the 2,000 idle sockets but before the flood: what they alone cost an honest phone.
    const idleOnlyMs = await honestSync(relay.url, community);

    const cpuBefore = await cpuMs(relay.child.pid!);
    relayProfile.start(relay.child.pid!);
    const loaded: number[] = [];
    const paced: number[] = [];
    let misses = 0;
    for (let round = 0; round < FLOODS; round++) {
      let floodDone = false;
      const flooded = abuser.flood().finally(() => (floodDone = true));
      // The first honest sync starts with the flood (its burst); more follow while the flood is paced.
      loaded.push(await honestSync(relay.url, community));
      for (let i = 0; !floodDone && i < 5; i++) paced.push(await honestSync(relay.url, community));
      misses += await flooded;
    }
    await relayProfile.write(relay.child.pid!);
    const floodCpuMs = (await cpuMs(relay.child.pid!)) - cpuBefore;
    const loadedMs = median(loaded);
    const after = await rssMb(relay.child.pid!);
    const latencies = await poller.stop();
    await abuser.stop();
    abuser = undefined;
    await untilQuiet(relay.child.pid!);
    for (let i = 0; i < QUIET_RUNS; i++) quiet.push(await honestSync(relay.url, community));
    const quietMs = median(quiet);
    await ana.close();
    if (latencies.some((l) => l < 0)) throw new Error('/api/status went unanswered during the flood');
    const pct = (q: number): number => quantile(latencies, q);
    const p99 = pct(0.99);
    // In order, on stderr: whether the slow answers bunch at the start of the flood or come throughout.
    process.stderr.write(`sessions: /api/status latencies (ms, in order): ${latencies.map((l) => Math.round(l)).join(' ')}\n`);
    const common = { randomIds: RANDOM_IDS, floods: FLOODS, idleSockets: IDLE_SOCKETS, offers: OFFERS, misses };
    return [
      { name: 'sessions.statusP99Ms', value: round1(p99), unit: 'ms', target: 100, samples: latencies.length, p50: round1(pct(0.5)), p90: round1(pct(0.9)), max: round1(Math.max(...latencies)), ...common },
      { name: 'sessions.rssGrowthMb', value: round1(after - before), unit: 'MB', target: 50, before: round1(before), after: round1(after), ...common },
      { name: 'sessions.relayCpuMsPerThousandMisses', value: round1((floodCpuMs / misses) * 1000), unit: 'ms', cpuMs: floodCpuMs, ...common },
      { name: 'sessions.honestSyncRatio', value: Math.round((loadedMs / quietMs) * 100) / 100, unit: 'ratio', target: 1.2, quietMs: round1(quietMs), quietSamples: quiet.map(round1), idleSocketsOnlyMs: round1(idleOnlyMs), loadedMs: round1(loadedMs), loadedSamples: loaded.map(round1), pacedSamples: paced.map(round1), ...common },
    ];
  } finally {
    await abuser?.stop();
    await relay.cleanup();
  }
}
