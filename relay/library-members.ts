import type { DocHandle } from '@automerge/automerge-repo';
import type { CommunityDoc } from '../src/core/model/types.ts';
import { docId, type Communities } from './communities.ts';
import type { RelayRepo } from './repo.ts';

/** The community docs this relay serves that are loaded now. */
export function servedDocs(rr: RelayRepo, communities: Communities): CommunityDoc[] {
  const out: CommunityDoc[] = [];
  for (const c of communities.served) {
    const h = rr.repo.handles[docId(c.url) as never] as DocHandle<CommunityDoc> | undefined;
    const doc = h?.isReady() ? h.doc() : undefined;
    if (doc?.type === 'community') out.push(doc);
  }
  return out;
}

/**
 * Whether `agentId` is a member of a community this relay serves, as its signed records say: a valid
 * signed entry, and not removed by the organisers. `rr` is kept for callers; the views come from it.
 */
export function memberCheck(_rr: RelayRepo, communities: Communities): (agentId: string) => boolean {
  return (agentId) =>
    communities.served.some((c) => {
      const view = communities.view(c.url);
      return view !== undefined && Object.hasOwn(view.members, agentId);
    });
}
