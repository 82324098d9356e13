import { memberEntries, validMember } from '../model/community.ts';
import { isCurrent } from '../model/query.ts';
import type { CommunityDoc, Intent } from '../model/types.ts';
import type { PublicRecord } from './types.ts';

/**
 * The index entries for a member's verified intents: public and current ones only (the index would
 * refuse others anyway). Names of category, area and author come from the community doc (the author's
 * from their signed member entry).
 */
export function publicRecords(intents: readonly Intent[], community: CommunityDoc | undefined, now: number): PublicRecord[] {
  const out: PublicRecord[] = [];
  // Read as stored either way (text or scalars), and only a name its member signed.
  const members = memberEntries(community);
  const nameOf = (id: string) => (validMember(id, members[id]) ? members[id].profile.name : undefined);
  for (const i of intents) {
    if (i.audience !== 'public' || !isCurrent(i, now)) continue;
    const categoryName = community?.categories?.[i.resourceConformsTo]?.name;
    const areaName = i.atLocation ? community?.areas?.[i.atLocation]?.name : undefined;
    const authorName = nameOf(i.author);
    out.push({
      key: `${i.author}/${i.id}`,
      audience: i.audience,
      title: i.name,
      text: i.note,
      kind: i.kind,
      category: i.resourceConformsTo,
      ...(categoryName ? { categoryName } : {}),
      ...(i.atLocation ? { area: i.atLocation } : {}),
      ...(areaName ? { areaName } : {}),
      updated: i.updated,
      ...(i.expires !== undefined ? { expires: i.expires } : {}),
      ...(authorName ? { authorName } : {}),
    });
  }
  return out;
}
