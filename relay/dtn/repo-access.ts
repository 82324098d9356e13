import { save } from '@automerge/automerge';
import type { DocHandle, DocumentId, Repo } from '@automerge/automerge-repo';
import type { AnyDoc, DocAccess } from '../../src/core/sync/index.ts';

/**
 * The sync module's view of the relay's automerge-repo: only documents already loaded in memory are
 * visible (the relay loads every doc of the communities it serves at start and as members join).
 */
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
      // import() leaves a brand-new (or previously unavailable) handle un-ready; it now has the doc.
      repo.import(save(fn(undefined)), { docId: id as DocumentId }).doneLoading();
    },
  };
}

export function docIdOf(url: string): string {
  return url.replace(/^automerge:/, '');
}
