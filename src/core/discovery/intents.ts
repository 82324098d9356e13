import { isCurrent } from '../model/query.ts';
import type { CommunityView } from '../model/read-community.ts';
import type { Intent } from '../model/types.ts';
import type { PublicRecord } from './types.ts';

/**
 * The index entries for a member's verified intents: public and current ones only (the index would
 * refuse others anyway). Names of category, area and author come from what the community signed (its
 * settings, and the author's own member entry), never from the doc's unsigned fields.
 */
export function publicRecords(intents: readonly Intent[], community: Pick<CommunityView, 'settings' | 'members'> | undefined, now: number): PublicRecord[] {
  const out: PublicRecord[] = [];
  for (const i of intents) {
    if (i.audience !== 'public' || !isCurrent(i, now)) continue;
    const categoryName = community?.settings.categories[i.resourceConformsTo]?.name;
    const areaName = i.atLocation ? community?.settings.areas[i.atLocation]?.name : undefined;
    const authorName = community?.members[i.author]?.profile.name;
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
