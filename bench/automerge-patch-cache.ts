/**
 * What the phone build's fix to Automerge's patch cache saves (scripts/automerge-patch-cache.ts): a doc
 * takes in, through receiveSyncMessage, a sync message carrying 10,000 posts, then automerge-repo's
 * `diff` over the same heads is asked, as DocHandle does after every change. Stock Automerge exports the
 * patches a second time; the fixed copy answers from its cache.
 *
 * - `automerge.receiveAndDiff.fixedMs` against `automerge.receiveAndDiff.baselineMs` (stock Automerge,
 *   same message, same run; median of 3 each); `ratio` is fixed over stock.
 * Run directly (`node --import tsx bench/automerge-patch-cache.ts`) or `npm run bench -- automerge-patch-cache`.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as Stock from '@automerge/automerge';
import { loadFixedAutomerge } from '../scripts/automerge-patch-cache.ts';
import { median } from './lib/stats.ts';
import type { BenchRow } from './lib/row.ts';
import { printWhenRunDirectly } from './lib/print-when-run-directly.ts';

const POSTS = 10_000;
const RUNS = 3;
type AM = typeof Stock;

/** The sync message that brings `POSTS` posts to a peer holding the empty doc, and that peer's doc then. */
function message(A: AM): { doc: Stock.Doc<Record<string, unknown>>; msg: Uint8Array } {
  let to = A.from<Record<string, unknown>>({ posts: {} });
  let from = A.change(A.clone(to), (d) => {
    for (let i = 0; i < POSTS; i++) (d.posts as Record<string, unknown>)[`p${i}`] = { title: `Post ${i}`, area: 'north', n: i };
  });
  let sFrom = A.initSyncState();
  let sTo = A.initSyncState();
  // The first messages only exchange heads; the one after carries the changes.
  for (let round = 0; round < 5; round++) {
    let msg: Uint8Array | null;
    [sFrom, msg] = A.generateSyncMessage(from, sFrom);
    if (msg && A.decodeSyncMessage(msg).changes.length > 0) return { doc: to, msg };
    if (msg) [to, sTo] = A.receiveSyncMessage(to, sTo, msg);
    [sTo, msg] = A.generateSyncMessage(to, sTo);
    if (msg) [from, sFrom] = A.receiveSyncMessage(from, sFrom, msg);
  }
  throw new Error('no message carried the posts');
}

function receiveAndDiff(A: AM): number {
  const { doc, msg } = message(A);
  const t0 = performance.now();
  const before = A.getHeads(doc);
  // A sync state that has heard the sender's heads is not needed to apply the changes the message carries.
  const [after] = A.receiveSyncMessage(doc, A.initSyncState(), msg);
  A.diff(after, before, A.getHeads(after));
  return performance.now() - t0;
}

export async function run(): Promise<BenchRow[]> {
  const dir = await mkdtemp(path.join(tmpdir(), 'am-fixed-'));
  try {
    const Fixed = await loadFixedAutomerge(dir);
    const stock: number[] = [];
    const fixed: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      stock.push(receiveAndDiff(Stock));
      fixed.push(receiveAndDiff(Fixed));
    }
    const s = median(stock);
    const f = median(fixed);
    const ctx = { posts: POSTS, runs: RUNS };
    return [
      { name: 'automerge.receiveAndDiff.fixedMs', value: Math.round(f), unit: 'ms', ...ctx },
      { name: 'automerge.receiveAndDiff.baselineMs', value: Math.round(s), unit: 'ms', ...ctx, note: 'stock Automerge, same message, same run' },
      { name: 'automerge.receiveAndDiff.ratio', value: Math.round((f / s) * 100) / 100, unit: 'x baseline', ...ctx },
    ];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

await printWhenRunDirectly(import.meta.url, run);
