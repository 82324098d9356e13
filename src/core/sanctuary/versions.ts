import { asObject } from '../audience/shape.ts';
import { isEntryShape } from './entry.ts';

/**
 * Where one version of an entry lives in the sanctuary doc (`entries[versionKey]`): a key per version,
 * not per entry. With one key per entry, a steward whose phone had not yet seen an edit and re-sealed the
 * older version (a rotation, a late entry carried over) wrote the same key at the same time, and
 * whichever write Automerge kept won: the edit could be lost, and with it whose content the entry was.
 */
export function versionKey(rec: { id: string; updated: number }): string {
  return `${rec.id}@${rec.updated}`;
}

/**
 * Keys of records an accepted newer version of the same entry supersedes (older `updated`; or the same
 * version under its old one-key-per-entry key), which an organiser's phone deletes. Only versions older
 * than one this phone accepted go: a record someone made up with a later `updated` deletes nothing.
 */
export function supersededKeys(entries: Iterable<readonly [string, unknown]>, accepted: Iterable<{ id: string; updated: number }>): string[] {
  const newest = new Map<string, number>();
  for (const e of accepted) newest.set(e.id, Math.max(newest.get(e.id) ?? -1, e.updated));
  const out: string[] = [];
  for (const [key, rec] of entries) {
    if (!isEntryShape(rec)) continue;
    const top = newest.get(rec.id);
    if (top === undefined) continue;
    if (rec.updated < top || (rec.updated === top && key !== versionKey(rec))) out.push(key);
  }
  return out;
}

/** Keys a new version `rec` replaces when it is written: this entry's older versions, and its old one-key-per-entry key. */
export function replacedKeys(entries: Iterable<readonly [string, unknown]>, rec: { id: string; updated: number }): string[] {
  const out: string[] = [];
  for (const [key, value] of entries) {
    const old = asObject(value);
    if (old?.id === rec.id && ((old.updated as number) < rec.updated || key === rec.id)) out.push(key);
  }
  return out;
}
