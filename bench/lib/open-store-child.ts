/**
 * Child process of bench/relay-scale.ts: opens a bundle store on the given dir, waits for the check of
 * snapshot-vouched headers, and prints one JSON line — how long open() took, RSS right after it, and
 * after the background check. A child of its own so its RSS is the store's and Node's, not the bench's.
 * Usage: node --import tsx bench/lib/open-store-child.ts <dir> <byteBudget>
 */
import { BundleStore } from '../../relay/dtn/store/index.ts';

const [dir, budget] = process.argv.slice(2);
if (!dir || !budget) throw new Error('usage: open-store-child.ts <dir> <byteBudget>');
const quiet = { warn: () => undefined, info: () => undefined };
const t0 = performance.now();
const store = await BundleStore.open(dir, { byteBudget: Number(budget), logger: quiet });
const openMs = performance.now() - t0;
const rssOpenMB = process.memoryUsage().rss / 2 ** 20;
const verified = await store.verified();
const verifyMs = performance.now() - t0 - openMs;
const count = store.stats().count;
await store.close();
process.stdout.write(JSON.stringify({ openMs, rssOpenMB, verifyMs, count, verified }) + '\n');
