/**
 * What a newcomer's first read of a community doc's history costs (src/core/sync/signed-history.ts): the
 * community doc of N members who joined one after another, each writing their signed member entry in a
 * change of their own, as phones do. `SignedHistory.update` now replays the history in runs of changes
 * (change-runs.ts); before, it diffed the doc once per change, and each diff walks the whole doc, so the
 * read grew with the square of the members.
 * Baseline in the same run: those per-change diffs alone (what the old read cost at least); and the same
 * read with the member entries stored as scalars, as phones store them once every hub reads them.
 * Run directly (`node --import tsx bench/community-history.ts`) or `npm run bench -- community-history`.
 */
import * as Automerge from '@automerge/automerge';
import { createIdentity } from '../src/core/crypto/keys.ts';
import { createProfile, memberEntry, newCommunityDoc } from '../src/core/model/community.ts';
import { COMMUNITY_MAPS } from '../src/core/model/restore.ts';
import { scalarRecord } from '../src/core/model/scalar-strings.ts';
import type { CommunityDoc } from '../src/core/model/types.ts';
import { SignedHistory } from '../src/core/sync/signed-history.ts';
import type { BenchRow } from './lib/row.ts';
import { median, round1 } from './lib/stats.ts';
import { printWhenRunDirectly } from './lib/print-when-run-directly.ts';

const SIZES = [100, 400];
const RUNS = 3;

/**
 * The doc after `n` members joined one by one, each from a phone (an actor) of their own, their entries
 * stored as text or, as phones store them once every hub reads them, as scalars (scalar-strings.ts).
 */
function community(n: number, scalars = false): Automerge.Doc<CommunityDoc> {
  const now = Date.now();
  let doc = Automerge.from(newCommunityDoc('bench-community', 'Riverside', 'a bench community', now) as unknown as Record<string, unknown>) as unknown as Automerge.Doc<CommunityDoc>;
  for (let i = 0; i < n; i++) {
    const me = createIdentity();
    doc = Automerge.change(Automerge.clone(doc), (d) => {
      const entry = memberEntry(me, createProfile(me, `Member ${i}`, now), d.id, `automerge:feed${i}`, now);
      d.members[me.agentId] = scalars ? scalarRecord(entry) : entry;
    });
  }
  return doc;
}

function ms(fn: () => unknown): number {
  const t = performance.now();
  fn();
  return performance.now() - t;
}

export async function run(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  for (const n of SIZES) {
    const doc = community(n);
    const metas = Automerge.getChangesMetaSince(doc, []);
    const read = median(Array.from({ length: RUNS }, () => ms(() => new SignedHistory(COMMUNITY_MAPS).update(doc))));
    const perChange = median(Array.from({ length: RUNS }, () => ms(() => metas.forEach((m) => Automerge.diff(doc, m.deps, [m.hash])))));
    const ctx = { members: n, changes: metas.length, runs: RUNS };
    rows.push(
      { name: `communityHistory.members${n}.ms`, value: round1(read), unit: 'ms', ...ctx, ratioToBaseline: Math.round((read / perChange) * 1000) / 1000 },
      { name: `communityHistory.members${n}.perChangeDiffs.ms`, value: round1(perChange), unit: 'ms', ...ctx, baselineFor: `communityHistory.members${n}.ms`, note: 'one diff per change, as the read was before runs' },
    );
    const stored = community(n, true);
    const readScalars = median(Array.from({ length: RUNS }, () => ms(() => new SignedHistory(COMMUNITY_MAPS).update(stored))));
    rows.push({ name: `communityHistory.members${n}.scalars.ms`, value: round1(readScalars), unit: 'ms', ...ctx, ratioToText: Math.round((readScalars / read) * 1000) / 1000, note: 'the same read with the member entries stored as scalars, same run' });
  }
  return rows;
}

await printWhenRunDirectly(import.meta.url, run);
