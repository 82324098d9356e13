import { spawn } from 'node:child_process';

/**
 * Polls a relay's /api/status from a process of its own: the bench's process is busy (flooding, syncing,
 * signing offers), and its own event loop would be measured too. One request at a time, `everyMs` apart;
 * an unanswered request counts as -1. Prints the latencies when its stdin closes, or after `max` answers.
 */
const POLLER = `
const [url, every, max] = [process.argv[1], Number(process.argv[2]), Number(process.argv[3])];
const out = [];
let on = true;
process.stdin.on('end', () => (on = false));
process.stdin.resume();
(async () => {
  // Untimed: the first fetch of a fresh process loads its HTTP client and opens the connection.
  try { await (await fetch(url)).arrayBuffer(); } catch {}
  while (on && out.length < max) {
    const t = performance.now();
    try { await (await fetch(url)).arrayBuffer(); out.push(performance.now() - t); } catch { out.push(-1); }
    await new Promise((r) => setTimeout(r, every));
  }
  process.stdout.write(JSON.stringify(out));
})();
`;

/** Starts polling `${relayUrl}/api/status`; `stop()` ends it and gives the latencies in order (ms). */
export function startStatusPoller(relayUrl: string, everyMs: number, max = 6000): { stop(): Promise<number[]> } {
  const child = spawn(process.execPath, ['-e', POLLER, `${relayUrl}/api/status`, String(everyMs), String(max)], { stdio: ['pipe', 'pipe', 'inherit'] });
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
