/**
 * Authenticated sync sessions under abuse, on a real relay process (loopback):
 * - sessions.statusP99Ms: /api/status latency, 99th percentile, polled every 50 ms while one socket asks
 *   for 10,000 random doc ids and 2,000 more authenticated sockets sit idle (target ≤ 100 ms);
 * - sessions.rssGrowthMb: the relay's resident memory at the end of that minus before it (target ≤ 50 MB);
 * - sessions.relayCpuMsPerThousandMisses: CPU time (user + system) the relay spent from the start of the
 *   flood until its last miss was answered, per 1,000 ids (the honest phone's sync and the idle
 *   sockets' keepalives included): what the flood costs the relay, whatever else runs on the machine;
 * - sessions.honestSyncRatio: how long an honest phone takes to get a community of 50 offers during
 *   that load, over the same in a quiet moment of the same relay (target ≤ 1.2).
 */
import type { AutomergeUrl } from '@automerge/automerge-repo';
import { cbor } from '@automerge/automerge-repo/slim';
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import WebSocket from 'ws';
import { NodePhone, offers } from '../tests/helpers/phone-client.ts';
import { startRelayProcess } from '../tests/helpers/relay-process.ts';
import { signedSyncUrl } from '../tests/helpers/sync-session.ts';
import { joinedSocket, requestUnknownIds } from '../tests/helpers/raw-sync-socket.ts';
import { round1 } from './lib/stats.ts';

const RANDOM_IDS = 10_000;
const IDLE_SOCKETS = 2_000;
const OFFERS = 50;
const OPEN_AT_ONCE = 50;

/** User + system CPU milliseconds of process `pid` so far (clock ticks of 10 ms, as Linux counts them). */
async function cpuMs(pid: number): Promise<number> {
  const fields = (await readFile(`/proc/${pid}/stat`, 'utf8')).replace(/^.*\) /s, '').split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

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

function opened(url: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

/**
 * An authenticated socket that joined and then says nothing more. Tried up to three times: a pooled
 * HTTP connection the relay closed as idle fails the challenge fetch that picks it up.
 */
async function idleSocket(relayUrl: string, community: AutomergeUrl, i: number): Promise<WebSocket> {
  const peer = `idle-${i}`;
  for (let attempt = 1; ; attempt++) {
    try {
      const ws = await opened(await signedSyncUrl(relayUrl, { peer, communities: [community] }));
      ws.send(cbor.encode({ type: 'join', senderId: peer, peerMetadata: {}, supportedProtocolVersions: ['1'] }));
      return ws;
    } catch (err) {
      if (attempt === 3) throw err;
    }
  }
}

/**
 * Polls /api/status every 50 ms from a process of its own (this one is busy flooding and syncing, and
 * its own event loop would be measured too); prints the latencies when its stdin closes.
 */
const POLLER = `
const url = process.argv[1];
const out = [];
let on = true;
process.stdin.on('end', () => (on = false));
process.stdin.resume();
(async () => {
  // Untimed: the first fetch of a fresh process loads its HTTP client and opens the connection.
  try { await (await fetch(url)).arrayBuffer(); } catch {}
  while (on) {
    const t = performance.now();
    try { await (await fetch(url)).arrayBuffer(); out.push(performance.now() - t); } catch { out.push(-1); }
    await new Promise((r) => setTimeout(r, 50));
  }
  process.stdout.write(JSON.stringify(out));
})();
`;

function startPoller(statusUrl: string): { stop(): Promise<number[]> } {
  const child = spawn(process.execPath, ['-e', POLLER, statusUrl], { stdio: ['pipe', 'pipe', 'inherit'] });
  let text = '';
  child.stdout.on('data', (d: Buffer) => (text += d.toString()));
  const done = new Promise<void>((r) => child.once('exit', () => r()));
  return {
    async stop() {
      child.stdin.end();
      await done;
      return JSON.parse(text || '[]') as number[];
    },
  };
}

export async function run(): Promise<Array<Record<string, unknown>>> {
  const relay = await startRelayProcess({ args: ['--node-name', 'bench-sessions', '--agents-interval-ms', '0'], env: { LOG_LEVEL: 'warn' } });
  const sockets: WebSocket[] = [];
  try {
    const info = (await (await fetch(`${relay.url}/api/info`)).json()) as { communities: Array<{ url: AutomergeUrl }> };
    const community = info.communities[0].url;
    const ana = new NodePhone(relay.url);
    await ana.join('Ana', community);
    await ana.post(offers('Bench offer', OFFERS));
    await honestSync(relay.url, community); // warm: the relay holds everything and has loaded it
    const quietMs = await honestSync(relay.url, community);

    const before = await rssMb(relay.child.pid!);
    // Opened a batch at a time: one by one, the handshakes alone took minutes on a loaded machine.
    for (let i = 0; i < IDLE_SOCKETS; i += OPEN_AT_ONCE) {
      const batch = Array.from({ length: Math.min(OPEN_AT_ONCE, IDLE_SOCKETS - i) }, (_, j) => idleSocket(relay.url, community, i + j));
      const settled = await Promise.allSettled(batch);
      for (const r of settled) if (r.status === 'fulfilled') sockets.push(r.value);
      const failed = settled.find((r) => r.status === 'rejected');
      if (failed) throw failed.reason;
    }
    const poller = startPoller(`${relay.url}/api/status`);

    const flood = await joinedSocket(relay.url, community, 'flooder');
    sockets.push(flood.ws);
    const cpuBefore = await cpuMs(relay.child.pid!);
    const loaded = honestSync(relay.url, community);
    await requestUnknownIds(flood, 'flooder', RANDOM_IDS);
    const loadedMs = await loaded;
    for (let i = 0; i < 6000 && flood.misses() < RANDOM_IDS; i++) await new Promise((r) => setTimeout(r, 50));
    const floodCpuMs = (await cpuMs(relay.child.pid!)) - cpuBefore;
    const after = await rssMb(relay.child.pid!);
    const latencies = await poller.stop();
    await ana.close();
    if (latencies.some((l) => l < 0)) throw new Error('/api/status went unanswered during the flood');
    const sorted = [...latencies].sort((a, b) => a - b);
    const pct = (q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))];
    const p99 = pct(0.99);
    // In order, on stderr: whether the slow answers bunch at the start of the flood or come throughout.
    process.stderr.write(`sessions: /api/status latencies (ms, in order): ${latencies.map((l) => Math.round(l)).join(' ')}\n`);
    const common = { randomIds: RANDOM_IDS, idleSockets: IDLE_SOCKETS, offers: OFFERS, misses: flood.misses() };
    return [
      { name: 'sessions.statusP99Ms', value: round1(p99), unit: 'ms', target: 100, samples: latencies.length, p50: round1(pct(0.5)), p90: round1(pct(0.9)), max: round1(sorted[sorted.length - 1]), ...common },
      { name: 'sessions.rssGrowthMb', value: round1(after - before), unit: 'MB', target: 50, before: round1(before), after: round1(after), ...common },
      { name: 'sessions.relayCpuMsPerThousandMisses', value: round1((floodCpuMs / RANDOM_IDS) * 1000), unit: 'ms', cpuMs: floodCpuMs, ...common },
      { name: 'sessions.honestSyncRatio', value: Math.round((loadedMs / quietMs) * 100) / 100, unit: 'ratio', target: 1.2, quietMs: round1(quietMs), loadedMs: round1(loadedMs), ...common },
    ];
  } finally {
    for (const s of sockets) s.terminate();
    await relay.cleanup();
  }
}
