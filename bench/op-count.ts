/**
 * What weighing changes costs the relay (src/core/sync/automerge-op-count.ts) beside what it guards: Automerge
 * taking the same bytes in. Two honest shapes (10,000 signed public offers sent whole as one change, and
 * the same feed as a saved doc, as a phone's first sync sends it) and one hostile (a 135-byte delete of
 * a run of characters, repeated by ten actors).
 * Run directly (`node --import tsx bench/op-count.ts`) to print JSON lines, or import `run()`.
 * Baseline in the same run: `Automerge.loadIncremental` of the same bytes into an empty doc.
 */
import * as Automerge from '@automerge/automerge';
import { createIdentity } from '../src/core/crypto/keys.ts';
import { newFeedDoc } from '../src/core/model/community.ts';
import { opsInChunks } from '../src/core/sync/automerge-op-count.ts';
import { opBomb } from '../tests/helpers/op-bomb.ts';
import { makeOffers } from './lib/offers.ts';
import type { BenchRow } from './lib/row.ts';
import { median, round1 } from './lib/stats.ts';
import { printWhenRunDirectly } from './lib/print-when-run-directly.ts';

const RUNS = 3;

function ms(fn: () => unknown): number {
  const t = performance.now();
  fn();
  return performance.now() - t;
}

function measure(name: string, bytes: Uint8Array, note: string): BenchRow[] {
  const counted = opsInChunks(bytes);
  const count = median(Array.from({ length: RUNS }, () => ms(() => opsInChunks(bytes))));
  const load = median(Array.from({ length: RUNS }, () => ms(() => Automerge.loadIncremental(Automerge.init(), bytes))));
  return [
    { name: `opCount.${name}.ms`, value: round1(count), unit: 'ms', ops: counted, bytes: bytes.length, runs: RUNS, note },
    { name: `opCount.${name}.automergeLoad.ms`, value: round1(load), unit: 'ms', ops: counted, bytes: bytes.length, runs: RUNS, baselineFor: `opCount.${name}.ms`, countOverLoad: round1((count / load) * 100) / 100 },
  ];
}

export async function run(): Promise<BenchRow[]> {
  const me = createIdentity();
  const offers = makeOffers(me, 10_000, Date.now());
  let feed = Automerge.from(newFeedDoc(me.agentId, 'bench') as unknown as Record<string, unknown>);
  feed = Automerge.change(feed, (d) => {
    for (const o of offers) (d.intents as Record<string, unknown>)[o.id] = o;
  });
  const bomb = opBomb(200_000, 10);
  const bombBase = Automerge.applyChanges(Automerge.init(), bomb.changes.slice(0, 2))[0];
  const deletions = bomb.changes.slice(2);
  return [
    ...measure('offers10k.change', Automerge.getLastLocalChange(feed)!, '10,000 signed public offers written in one change'),
    ...measure('offers10k.doc', Automerge.save(feed), 'the same feed saved whole (a first sync)'),
    // The hostile shape: only the deletes, into a doc holding the text they delete.
    { name: 'opCount.deletes2M.ms', value: round1(median(Array.from({ length: RUNS }, () => ms(() => deletions.reduce((n, c) => n + opsInChunks(c), 0))))), unit: 'ms', ops: bomb.ops - 200_001, bytes: deletions.reduce((n, c) => n + c.length, 0), runs: RUNS, note: 'ten 135-byte deletes of 200,000 characters each' },
    { name: 'opCount.deletes2M.automergeApply.ms', value: round1(ms(() => Automerge.applyChanges(Automerge.clone(bombBase), deletions))), unit: 'ms', runs: 1, baselineFor: 'opCount.deletes2M.ms' },
  ];
}

await printWhenRunDirectly(import.meta.url, run);
