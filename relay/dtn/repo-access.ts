import { init, save } from '@automerge/automerge';
import type { DocHandle, DocumentId, Repo } from '@automerge/automerge-repo';
import type { AnyDoc, DocAccess } from '../../src/core/sync/index.ts';

/**
 * The sync module's view of the relay's automerge-repo: only documents already loaded in memory are
 * visible (the relay loads every doc of the communities it serves at start and as members join).
 */
/** An empty doc's bytes: import() needs some, and loading them changes nothing. */
const EMPTY = save(init());

export function repoDocAccess(repo: Repo, replicated: () => Iterable<string>): DocAccess {
  const handle = (id: string): DocHandle<unknown> | undefined => {
    const h = repo.handles[id as DocumentId];
    return h && h.isReady() ? h : undefined;
  };
  return {
    ids: () => [...replicated()].filter((id) => handle(id) !== undefined),
    get: (id) => handle(id)?.doc() as AnyDoc | undefined,
    apply(id, fn) {
      const h = handle(id);
      if (h) {
        h.update((doc) => fn(doc as AnyDoc) as typeof doc);
        return;
      }
      // A doc we do not hold: build it from nothing, then give it to the repo under the same id.
      // A doc we do not hold: give the repo a handle under this id and hand it the doc as built (saving
      // and re-loading it through import() would parse every change twice more). import() leaves a
      // brand-new (or previously unavailable) handle un-ready; it now has the doc.
      const created = fn(undefined);
      const fresh = repo.import(EMPTY, { docId: id as DocumentId });
      fresh.update(() => created as never);
      fresh.doneLoading();
    },
  };
}

