import * as Automerge from '@automerge/automerge/slim';

export type AnyDoc = Automerge.Doc<unknown>;

/** What a relay may know about a doc before holding it: enough for an acceptance decision. */
export interface DocMeta {
  community?: string;
}

/** Decides whether this relay takes on a doc it does not yet hold (e.g. "docs of communities I serve"). */
export type AcceptPolicy = (docId: string, meta: DocMeta) => boolean;

/**
 * The relay's documents, as the sync module sees them. The relay adapts its automerge-repo Repo to this;
 * tests use memoryDocAccess().
 */
export interface DocAccess {
  /** Docs this relay replicates (community + feeds), i.e. the ones it may announce to peers. */
  ids(): string[];
  get(id: string): AnyDoc | undefined;
  /**
   * Replace a doc by fn(current). fn gets undefined for a doc not yet held and then returns the new
   * doc, which the implementation must create under exactly this id. fn never throws.
   */
  apply(id: string, fn: (doc: AnyDoc | undefined) => AnyDoc): void;
  /** Optional: the community of a held doc; defaults to describeDoc(get(id)). */
  meta?(id: string): DocMeta;
}

/** Community docs carry their id, feed docs their community (see core/model/types.ts). */
export function describeDoc(doc: AnyDoc | undefined): DocMeta {
  if (doc === undefined || doc === null || typeof doc !== 'object') return {};
  const d = doc as { type?: unknown; id?: unknown; community?: unknown };
  if (d.type === 'community' && typeof d.id === 'string') return { community: d.id };
  if (d.type === 'feed' && typeof d.community === 'string') return { community: d.community };
  return {};
}

export function metaOf(access: DocAccess, id: string): DocMeta {
  return access.meta ? access.meta(id) : describeDoc(access.get(id));
}

/** DocAccess over a Map: for tests, benches and any in-memory replica. */
export function memoryDocAccess(docs: Map<string, AnyDoc> = new Map()): DocAccess & { docs: Map<string, AnyDoc> } {
  return {
    docs,
    ids: () => [...docs.keys()],
    get: (id) => docs.get(id),
    apply: (id, fn) => {
      docs.set(id, fn(docs.get(id)));
    },
  };
}
