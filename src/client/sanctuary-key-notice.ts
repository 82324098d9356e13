import type { SanctuaryView } from './sanctuary.ts';

/**
 * What a member who may see the sanctuary but cannot read (all of) it is told, instead of an empty list
 * (issue #17: "a member who cannot read says why and what is missing"): `waiting` — this phone holds no
 * key yet; an organiser's phone seals one to it the next time it reaches the hub; `older-key` — some
 * entries were locked with a key this phone does not hold yet. Null when there is nothing to say: the
 * list does not exist, I may not see it (the gate says why), or I can read every entry.
 */
export function sanctuaryKeyNotice(view: SanctuaryView | null | undefined): 'waiting' | 'older-key' | null {
  if (!view?.exists || !view.canSee) return null;
  if (view.epochs.length === 0) return 'waiting';
  return view.missingKey > 0 ? 'older-key' : null;
}
