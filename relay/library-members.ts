import type { DocHandle } from '@automerge/automerge-repo';
import { validMember } from '../src/core/model/community.ts';
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

/** Whether `agentId` has a valid signed member entry in a community this relay serves. */
export function memberCheck(rr: RelayRepo, communities: Communities): (agentId: string) => boolean {
  return (agentId) => servedDocs(rr, communities).some((d) => Object.hasOwn(d.members ?? {}, agentId) && validMember(agentId, d.members[agentId]));
}
