import { MAX_OPS_AT_ONCE } from './automerge-op-count.ts';

/**
 * The most ops one doc may grow to on a phone or a relay. Automerge loads a doc whole when it is opened
 * (after every restart), about 350 bytes of wasm memory an op while it loads, as for one message
 * (MAX_OPS_AT_ONCE says why): a doc grown past that would end Automerge each time it is opened again,
 * and with it every doc of that phone or relay. The bound on each message alone let many messages just
 * under it grow one doc that far. 10,000 signed public offers in one feed weigh about 3.2 million.
 */
export const MAX_OPS_PER_DOC = MAX_OPS_AT_ONCE;

/**
 * What each doc has taken in, so a write that would grow it past the bound is refused before Automerge
 * sees it. `held` reads a doc's ops where it is open (Automerge's own count, constant time). Writes let
 * in since that count last changed are added to it: a batch admitted before any of it applies (the
 * relay's carried change-sets) counts as a whole, and once Automerge has taken them in its own count
 * replaces the estimate (so changes sent twice, which Automerge takes in once, are not counted twice for
 * long). A doc not open, or still loading, counts what this ledger let in. One entry per doc that took in
 * changes, for docs the caller already let this sender write.
 */
export class DocOpLedger {
  private readonly docs = new Map<string, { held: number | undefined; taken: number }>();

  constructor(
    private readonly held: (docId: string) => number | undefined,
    readonly limit: number = MAX_OPS_PER_DOC,
  ) {}

  /** Whether `docId` may take in `ops` more; if so they are counted. A read (0 ops) always may. */
  admit(docId: string, ops: number): boolean {
    if (ops === 0) return true;
    const held = this.held(docId);
    const seen = this.docs.get(docId);
    // Automerge's count when it moved since the last write let in; else that count plus what came since.
    const base = held !== undefined && seen?.held !== held ? held : (seen?.taken ?? held ?? 0);
    if (!(base + ops <= this.limit)) return false;
    this.docs.set(docId, { held, taken: base + ops });
    return true;
  }
}
