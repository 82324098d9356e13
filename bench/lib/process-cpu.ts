import { readFile } from 'node:fs/promises';

/** User + system CPU milliseconds of process `pid` so far (clock ticks of 10 ms, as Linux counts them). */
export async function cpuMs(pid: number): Promise<number> {
  const fields = (await readFile(`/proc/${pid}/stat`, 'utf8')).replace(/^.*\) /s, '').split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/**
 * Waits until process `pid` has used under 5 % of a core over two half-second windows in a row: a relay
 * that has just been given 10,000 offers goes on for seconds afterwards (applying the last of them,
 * indexing them for discovery, running its agents over them, writing them as bundles for other islands),
 * and a newcomer timed while that runs is timing the relay's chores. In the field a newcomer meets a
 * relay at rest. Bounded: past `timeoutMs` it says so and the run goes on.
 */
export async function untilQuiet(pid: number, timeoutMs = 120_000): Promise<{ waitedMs: number; quiet: boolean }> {
  const start = Date.now();
  let calm = 0;
  let before = await cpuMs(pid);
  while (Date.now() - start < timeoutMs) {
    await new Promise((r) => setTimeout(r, 500));
    const now = await cpuMs(pid);
    calm = now - before <= 25 ? calm + 1 : 0;
    before = now;
    if (calm >= 2) return { waitedMs: Date.now() - start, quiet: true };
  }
  return { waitedMs: Date.now() - start, quiet: false };
}
