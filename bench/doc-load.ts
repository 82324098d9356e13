/**
 * What checking a document's chunks costs the relay when it loads the document from disk (openspec change
 * damaged-doc-chunks: each chunk read from disk is parsed on its own by Automerge before automerge-repo
 * loads them together, so a damaged one is set aside instead of keeping the document "loading" for good).
 *
 * A member's feed with OFFERS signed offers, stored as automerge-repo stores it — a snapshot holding half,
 * then one incremental chunk per later change (CHANGES of them) — is loaded the way automerge-repo's
 * StorageSubsystem loads it: every chunk under `[doc, 'snapshot']` and `[doc, 'incremental']`, concatenated
 * into one `loadIncremental`.
 * - `relay.docLoad.baseline`: read through the nodefs adapter (no check), in the same run.
 * - `relay.docLoad.checked`: read through the relay's DocStorage afresh (each chunk checked once), and
 *   `ratio` over the baseline. Medians of ROUNDS loads, alternating.
 * Run directly (`node --import tsx bench/doc-load.ts`) or `npm run bench -- doc-load`.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as A from '@automerge/automerge';
import type { StorageAdapterInterface } from '@automerge/automerge-repo';
import { NodeFSStorageAdapter } from '@automerge/automerge-repo-storage-nodefs';
import { DocStorage } from '../relay/doc-storage.ts';
import { concatBytes } from '../src/core/crypto/bytes.ts';
import { createIdentity } from '../src/core/crypto/keys.ts';
import { asScalars } from '../src/core/model/scalar-strings.ts';
import { makeOffers } from './lib/offers.ts';
import { median } from './lib/stats.ts';
import type { BenchRow } from './lib/row.ts';
import { printWhenRunDirectly } from './lib/print-when-run-directly.ts';

const OFFERS = 5_000;
const CHANGES = 20;
const ROUNDS = 7;
const DOC = '3zWEWyxtKkHJDPP48uo62kQYWkT9';
const quiet = { warn: () => undefined, info: () => undefined };

async function loadWith(storage: StorageAdapterInterface): Promise<number> {
  const start = performance.now();
  const chunks = [...(await storage.loadRange([DOC, 'snapshot'])), ...(await storage.loadRange([DOC, 'incremental']))];
  const doc = A.loadIncremental(A.init(), concatBytes(...chunks.map((c) => c.data!)));
  const took = performance.now() - start;
  A.free(doc);
  return took;
}

export async function run(): Promise<BenchRow[]> {
  const dir = await mkdtemp(path.join(tmpdir(), 'spm-doc-load-'));
  try {
    const offers = makeOffers(createIdentity(), OFFERS, Date.now());
    // Half the offers in the snapshot, the rest in CHANGES incremental chunks: automerge-repo compacts into
    // a snapshot once the incremental chunks outweigh it, so a stored doc is about this shape.
    const half = OFFERS / 2;
    const per = Math.ceil(half / CHANGES);
    const batches = [offers.slice(0, half), ...Array.from({ length: CHANGES }, (_, c) => offers.slice(half + c * per, half + (c + 1) * per))];
    let doc = A.from<{ intents: Record<string, unknown> }>({ intents: {} });
    const writer = new DocStorage(dir, { logger: quiet });
    for (const [c, batch] of batches.entries()) {
      const before = A.getHeads(doc);
      doc = A.change(doc, (d) => {
        for (const o of batch) d.intents[o.id] = asScalars(o); // as the phone writes them (openspec records-as-scalars-write)
      });
      await (c === 0 ? writer.save([DOC, 'snapshot', 'first'], A.save(doc)) : writer.save([DOC, 'incremental', `c${c}`], A.saveSince(doc, before)));
    }
    const baseline: number[] = [];
    const checked: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      baseline.push(await loadWith(new NodeFSStorageAdapter(dir)));
      checked.push(await loadWith(new DocStorage(dir, { logger: quiet })));
    }
    const b = median(baseline);
    const c = median(checked);
    const ms = (x: number) => Math.round(x * 10) / 10;
    return [
      { name: 'relay.docLoad.baseline', value: ms(b), unit: 'ms', offers: OFFERS, chunks: CHANGES + 1, rounds: ROUNDS },
      { name: 'relay.docLoad.checked', value: ms(c), unit: 'ms', ratio: Math.round((c / b) * 100) / 100, offers: OFFERS, chunks: CHANGES + 1, rounds: ROUNDS },
    ];
  } finally {
    await rm(dir, { recursive: true, force: true });
    await rm(`${dir}.tmp`, { recursive: true, force: true });
  }
}

await printWhenRunDirectly(import.meta.url, run);
