import { stats, type Doc } from '@automerge/automerge/slim';

/** What of a repo the count needs: automerge-repo's `Repo` has it (its handles by doc id). */
export interface HandlesById {
  readonly handles: Readonly<Record<string, { isReady(): boolean; doc(): Doc<unknown> }>>;
}

/**
 * The ops a repo holds of a doc, from Automerge's own count (constant time); undefined while the doc is
 * not open or still loading. For DocOpLedger, on the phone and on the relay alike.
 */
export function opsHeldIn(repo: HandlesById): (docId: string) => number | undefined {
  return (docId) => {
    const h = repo.handles[docId];
    return h?.isReady() ? stats(h.doc()).numOps : undefined;
  };
}
