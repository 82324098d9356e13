import type { ChangeSetPayload } from '../../src/core/sync/index.ts';
import { MAX_OPS_AT_ONCE } from '../../src/core/sync/automerge-op-count.ts';
import type { Contact } from './node.ts';

/** A change-set delivered for this relay to apply, and the contact that brought it (null: from the store). */
export interface Arrival {
  p: ChangeSetPayload;
  from: Contact | null;
  /** The ops Automerge takes in from it (src/core/sync/automerge-op-count.ts), counted once on delivery. */
  ops: number;
}

/**
 * Change-sets waiting to be applied, by doc, in the order their docs first arrived. One doc's sets are
 * loaded together (one Automerge load per batch, not per set), but never more than MAX_OPS_AT_ONCE ops
 * in one batch (each set is under it alone): Automerge holds a whole load's ops at once.
 */
export class Arrivals {
  private readonly byDoc = new Map<string, Arrival[]>();

  add(a: Arrival): void {
    const queued = this.byDoc.get(a.p.doc);
    if (queued) queued.push(a);
    else this.byDoc.set(a.p.doc, [a]);
  }

  /** The next doc's batch, taken out of the queue (the rest of that doc's sets stay, in order). */
  nextBatch(): { doc: string; batch: Arrival[] } | undefined {
    const next = this.byDoc.entries().next();
    if (next.done) return undefined;
    const [doc, queued] = next.value;
    let n = 1;
    let ops = queued[0]!.ops;
    while (n < queued.length && ops + queued[n]!.ops <= MAX_OPS_AT_ONCE) ops += queued[n++]!.ops;
    if (n === queued.length) this.byDoc.delete(doc);
    else this.byDoc.set(doc, queued.slice(n));
    return { doc, batch: queued.slice(0, n) };
  }

  get docs(): number {
    return this.byDoc.size;
  }

  /** Sets waiting, over all docs. */
  count(): number {
    let n = 0;
    for (const a of this.byDoc.values()) n += a.length;
    return n;
  }
}
