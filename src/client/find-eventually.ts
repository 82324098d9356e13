import type { AutomergeUrl, DocHandle, Repo } from '@automerge/automerge-repo/slim';

/**
 * repo.find() for a doc that may not exist anywhere yet (it is still on a bridge). automerge-repo marks
 * such a handle "unavailable" for good — find() then fails at once, and removeFromCache() cannot drop
 * it — yet the relay still syncs the doc to us when it arrives, because we asked. So take the handle
 * as it is and declare it loaded: it may be empty now and fills in later ('change' events). Callers
 * treat an empty doc as "not here yet".
 */
export async function findEventually<T>(repo: Repo, url: AutomergeUrl): Promise<DocHandle<T>> {
  const handle = await repo.find<T>(url, { allowableStates: ['ready', 'unavailable'] });
  if (!handle.isReady()) handle.doneLoading();
  return handle;
}
