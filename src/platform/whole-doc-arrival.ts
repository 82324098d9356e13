import * as Automerge from '@automerge/automerge/slim';
import { changesOf } from '../core/sync/sync-changes.ts';

/** What of automerge-repo's Repo this needs: its handles by doc id. */
export interface ArrivalHandles {
  readonly handles: Readonly<
    Record<string, { inState(states: Array<'requesting' | 'unavailable'>): boolean; update(fn: (doc: Automerge.Doc<unknown>) => Automerge.Doc<unknown>): void }>
  >;
}

/** Automerge's chunk header: four magic bytes, a four-byte checksum, then the type (0: a whole document). */
const MAGIC = [0x85, 0x6f, 0x4a, 0x83];
const isDocumentChunk = (c: Uint8Array): boolean => c.length > 8 && MAGIC.every((b, i) => c[i] === b) && c[8] === 0;

/**
 * A doc this phone is waiting for (it holds nothing of it) that its hub sends whole, as a hub does on a
 * newcomer's first sync, is loaded as a whole instead of through Automerge's sync: `receiveSyncMessage`
 * then also exports a patch for every op of the doc so automerge-repo can update its view, which in
 * Chromium cost as long as loading the doc itself (3.4 of a 6.8 s join's sync, bench/lib/profile-join.ts).
 * `Automerge.load` reads the same chunk with the same checks and no patch log. The hub's sync state
 * for this doc still believes it sent the chunk, and the phone's next sync message carries the heads it
 * now holds, so the two agree without the message being replayed.
 *
 * True when it took the doc in (the caller drops the message); false for anything else: a doc already
 * held or loading from storage, a message of changes, or a chunk Automerge will not load (the usual path
 * then meets the same refusal).
 */
export function takeWholeDoc(repo: ArrivalHandles, documentId: string, data: unknown): boolean {
  const handle = repo.handles[documentId];
  if (!handle?.inState(['requesting', 'unavailable'])) return false;
  const changes = changesOf(data);
  if (changes.length !== 1 || !isDocumentChunk(changes[0])) return false;
  let whole: Automerge.Doc<unknown>;
  try {
    whole = Automerge.load(changes[0]);
  } catch {
    return false;
  }
  announceWhole(whole);
  // A waiting handle holds an empty doc; should it hold anything, the two are merged, never replaced.
  handle.update((held) => (Automerge.getHeads(held).length === 0 ? whole : Automerge.merge(held, whole)));
  return true;
}

/** Where Automerge keeps a doc's own state (its `STATE` symbol, registered globally by that name). */
const AUTOMERGE_STATE = Symbol.for('_am_meta');

/**
 * automerge-repo tells listeners what changed with `Automerge.diff(doc, before, after)`: from nothing to
 * a whole 10,000-post doc that exports a patch per op again (2 s of a join in Chromium; its sync only
 * uses the event as a signal to send). Automerge answers `diff` from the patches it last made when the
 * heads match (`mostRecentPatch`), so a loaded doc is given the patches that describe it from nothing:
 * one `put` per top-level key with its value. Applied to an empty doc they give this doc. Should an
 * Automerge upgrade keep its state elsewhere, nothing is set and `diff` computes the patches as before.
 */
function announceWhole(doc: Automerge.Doc<unknown>): void {
  const state = Reflect.get(doc as object, AUTOMERGE_STATE) as { mostRecentPatch?: unknown } | undefined;
  if (typeof state !== 'object' || state === null || state.mostRecentPatch !== undefined) return;
  const patches: Automerge.PutPatch[] = Object.entries(doc as Record<string, Automerge.PutPatch['value']>).map(([key, value]) => ({ action: 'put', path: [key], value }));
  state.mostRecentPatch = { before: [], after: Automerge.getHeads(doc), patches };
}
