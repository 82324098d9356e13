import type { Random } from '../audience/key.ts';
import { seal } from '../audience/seal.ts';
import type { Keyring, SealedAudience } from '../audience/types.ts';
import { randomBytes, type Identity } from '../crypto/keys.ts';
import { signRecord, verifyRecord, type Signed } from '../crypto/sign.ts';
import { newerByCreation, openSealedEntries, type SealedKind } from '../model/sealed-entries.ts';
import type { SealedMemo } from '../model/sealed-memo.ts';
import type { FeedDoc, SealedFeedRecord, Vouch } from '../model/types.ts';
import { MAX_NOTE } from './vouch.ts';

/**
 * A vouch's free-text note, sealed to the community's members (issue #17). The vouch itself — who
 * vouches for whom, how strongly — stays signed and in clear, because every phone's trust scores are
 * computed from it; only what the voucher wrote about the person ("my neighbour, runs the clinic") is
 * for members alone. Sign, then seal: the author's signature is inside the box, and a reader checks it
 * after opening. The note sits in the author's sealed map under the vouch's id, beside sealed posts.
 */
export const VOUCH_NOTE_AUDIENCE: SealedAudience = 'members';

export interface VouchNote extends Signed {
  type: 'vouch-note';
  /** The id of the vouch this note belongs to (also its key in the sealed map). */
  id: string;
  /** Whom the vouch is for: a note cannot be moved onto another vouch of the same author. */
  to: string;
  note: string;
  created: number;
}

export function createVouchNote(identity: Identity, vouch: Vouch, note: string): VouchNote {
  if (vouch.author !== identity.agentId) throw new RangeError('a vouch note is signed by the voucher');
  return signRecord<VouchNote>({ type: 'vouch-note', id: vouch.id, author: identity.agentId, to: vouch.to, note: note.slice(0, MAX_NOTE), created: vouch.created }, identity.signSecretKey);
}

/** The note as its sealed map entry; AudienceInputError('no-key') while this phone holds no members' key. */
export function sealVouchNote(note: VouchNote, keyring: Keyring, random: Random = randomBytes): SealedFeedRecord {
  return { id: note.id, ...seal(note, VOUCH_NOTE_AUDIENCE, keyring, random) };
}

const isStr = (v: unknown, max: number): v is string => typeof v === 'string' && v.length <= max;

const noteKind: SealedKind<VouchNote> = {
  is: (r) => r.type === 'vouch-note',
  check: (rec, owner, key, s) => {
    const n = rec as Record<string, unknown>;
    if (!isStr(n.id, 128) || !isStr(n.to, 128) || !isStr(n.note, MAX_NOTE) || typeof n.created !== 'number' || !Number.isFinite(n.created)) return 'error.malformedSealed';
    if (n.author !== owner) return 'error.wrongAuthor';
    if (n.id !== key) return 'error.idMismatch';
    return s.audience === VOUCH_NOTE_AUDIENCE ? null : 'error.badAudience';
  },
  newer: newerByCreation,
};

/** The vouch notes in `feed` this reader can open, by vouch id. Total: never throws on what a feed holds. */
export function openVouchNotes(
  feed: Pick<FeedDoc, 'owner' | 'sealed'>,
  keyring: Keyring,
  verify: (r: unknown) => boolean = verifyRecord,
  versions: (key: string) => readonly unknown[] = () => [],
  memo?: SealedMemo,
): Map<string, VouchNote> {
  return new Map(openSealedEntries(feed, keyring, noteKind, verify, versions, memo).records.map((n) => [n.id, n]));
}

/** What a reader shows for a vouch's note: the text, 'sealed' (a note only members can read), or nothing. */
export type NoteView = { text: string } | 'sealed' | null;

/** Where a reader files an opened note: by author and vouch id, so nobody's note can shadow another's. */
export function noteKey(author: string, vouchId: string): string {
  return `${author}/${vouchId}`;
}

/** A note counts for a vouch only when the vouch's own author wrote it about the same person (`notes` by noteKey). */
export function noteOf(v: Vouch, notes: ReadonlyMap<string, Pick<VouchNote, 'author' | 'to' | 'note'>>): NoteView {
  if (v.note) return { text: v.note };
  const n = notes.get(noteKey(v.author, v.id));
  if (n && n.author === v.author && n.to === v.to && n.note) return { text: n.note };
  return v.noteSealed ? 'sealed' : null;
}
