/**
 * Child process of bench/relay-scale.ts: opens a bundle store on the given dir, optionally waits for the
 * check of snapshot-vouched headers, and prints one JSON line — how long open() took (wall and CPU), RSS before and
 * right after it, and how long the background check took. A child of its own so its RSS is the store's
 * and Node's, not the bench's; bundled like the relay (scripts/build-relay.ts), so no TypeScript loader
 * sits in its memory.
 * Usage: node open-store-child.mjs <dir> <byteBudget> [wait-for-check: 1|0]
 */
import { BundleStore } from '../../relay/dtn/store/index.ts';

const [dir, budget, wait = '1'] = process.argv.slice(2);
if (!dir || !budget) throw new Error('usage: open-store-child <dir> <byteBudget> [1|0]');
const quiet = { warn: () => undefined, info: () => undefined };
const rssBeforeMB = process.memoryUsage().rss / 2 ** 20;
const cpu0 = process.cpuUsage();
const t0 = performance.now();
const store = await BundleStore.open(dir, { byteBudget: Number(budget), logger: quiet });
const openMs = performance.now() - t0;
// CPU time (all threads) beside the wall time: on a shared machine it is the figure that does not
// depend on what else runs.
const cpu = process.cpuUsage(cpu0);
const openCpuMs = (cpu.user + cpu.system) / 1000;
const rssOpenMB = process.memoryUsage().rss / 2 ** 20;
const verified = wait === '1' ? await store.verified() : undefined;
const verifyMs = performance.now() - t0 - openMs;
const count = store.stats().count;
await store.close();
process.stdout.write(JSON.stringify({ openMs, openCpuMs, rssBeforeMB, rssOpenMB, verifyMs, count, verified }) + '\n');
