import { isSealedShape } from '../audience/seal.ts';
import { verifyRecord } from '../crypto/sign.ts';
import { validMember } from './community.ts';
import type { FeedDoc, MemberEntry } from './types.ts';
import { plainScalars } from './scalar-strings.ts';

/** What a reader remembers of a doc's past: every record version ever written (sync/signed-history.ts). */
export interface RecordHistory {
  versions(path: readonly string[], key: string): readonly unknown[];
  keys(path: readonly string[]): string[];
}

/** The maps of a feed doc that hold the owner's signed records. */
export const FEED_MAPS = ['intents', 'proposals', 'commitments', 'events', 'declines', 'vouches', 'revocations', 'decisions'] as const;
/** The map of a feed doc that holds the owner's sealed records: remembered by history too (restoreFeed). */
export const SEALED_MAP = 'sealed';
export const COMMUNITY_MAPS = [['members'], ['settings'], ['founding'], ['retirements']] as const;

type Rec = Record<string, unknown>;
const isRec = (v: unknown): v is Rec => typeof v === 'object' && v !== null && !Array.isArray(v);

/** When a version was made: edits carry `updated`, immutable records `created` or a point in time. */
function versionTime(r: Rec): number {
  for (const k of ['updated', 'joined', 'created', 'hasPointInTime'] as const) if (typeof r[k] === 'number' && Number.isFinite(r[k])) return r[k] as number;
  return 0;
}

/** Later version first; equal times by signature text, so every reader picks the same one. */
export function newer(a: Rec, b: Rec): boolean {
  const ta = versionTime(a);
  const tb = versionTime(b);
  return ta !== tb ? ta > tb : String(a.sig) > String(b.sig);
}

/**
 * The newest version that `valid` accepts among the one in the doc now and all the history remembers;
 * when none is valid, the doc's own value (so the reader reports it as rejected, as before).
 */
function best(current: unknown, past: readonly unknown[], valid: (r: Rec) => boolean): unknown {
  let pick: Rec | undefined;
  for (const raw of [current, ...past]) {
    // Stored as text or as scalars (scalar-strings.ts), a record is judged and handed on in one form.
    const r = plainScalars(raw);
    if (isRec(r) && valid(r) && (!pick || newer(r, pick))) pick = r;
  }
  return pick ?? plainScalars(current);
}

/** A signed record of `owner` filed under `key` (records with an id must be filed under it). */
function ownersRecord(owner: string, key: string) {
  return (r: Rec): boolean => r.author === owner && (r.id === undefined || r.id === key) && verifyRecord(r);
}

/**
 * A feed as its owner wrote it: every record the owner ever signed into it, newest valid version per
 * key, whatever anyone deleted or overwrote since. Withdrawing is a signed act (an intent's withdrawn
 * status, a revocation), never a deletion. `owner` comes from the owner's signed member entry, not
 * from the feed's own (unsigned) owner field.
 */
export function restoreFeed(feed: Partial<FeedDoc> | undefined, history: RecordHistory | undefined, owner: string): FeedDoc {
  const out: Rec = { ...(isRec(feed) ? feed : {}), type: 'feed', owner };
  for (const map of FEED_MAPS) {
    const now = isRec(out[map]) ? (out[map] as Rec) : {};
    const keys = new Set([...Object.keys(now), ...(history?.keys([map]) ?? [])]);
    const restored: Rec = {};
    for (const key of keys) {
      const v = best(now[key], history?.versions([map], key) ?? [], ownersRecord(owner, key));
      if (v !== undefined) restored[key] = v;
    }
    out[map] = restored;
  }
  out[SEALED_MAP] = restoreSealed(out[SEALED_MAP], history);
  return out as unknown as FeedDoc;
}

/**
 * Whether every record a feed holds now is its owner's, signed, and filed under its own key, and every
 * sealed entry a box under its key: then nothing in the feed's history would be picked over it, and a
 * history that took the current records as its versions (SignedHistory.adopt) reads the same as a
 * full replay. Cheap once the signatures are primed (the checks hit the cache).
 */
export function currentRecordsHold(feed: Partial<FeedDoc> | undefined, owner: string): boolean {
  const doc: Rec = isRec(feed) ? feed : {};
  for (const map of FEED_MAPS) {
    const now = isRec(doc[map]) ? (doc[map] as Rec) : {};
    for (const [key, raw] of Object.entries(now)) {
      const r = plainScalars(raw);
      if (!isRec(r) || !ownersRecord(owner, key)(r)) return false;
    }
  }
  const sealed = isRec(doc[SEALED_MAP]) ? (doc[SEALED_MAP] as Rec) : {};
  return Object.entries(sealed).every(([key, r]) => sealedUnder(key)(r));
}

const sealedUnder = (key: string) => (v: unknown): boolean => {
  // Written as the app writes them, its long strings are Automerge scalars (scalar-strings.ts).
  const plain = plainScalars(v);
  return isSealedShape(plain) && (plain as { id?: unknown }).id === key;
};

/**
 * The sealed map with every entry anyone deleted, or replaced by something that is not a sealed record,
 * put back from history. Nobody outside the audience can tell a real box from junk, so this cannot
 * pick "the owner's" version here: an entry that is still a sealed record stays, and readers who hold
 * the key try every version (openSealedIntents with the history's versions) — the owner's signature
 * inside decides. Without history, the map as it is.
 */
function restoreSealed(sealed: unknown, history: RecordHistory | undefined): Rec {
  const now = isRec(sealed) ? sealed : {};
  const out: Rec = {};
  for (const key of new Set([...Object.keys(now), ...(history?.keys([SEALED_MAP]) ?? [])])) {
    const ok = sealedUnder(key);
    if (ok(now[key])) {
      out[key] = now[key];
      continue;
    }
    const past = (history?.versions([SEALED_MAP], key) ?? []).filter(ok);
    const v = past.length > 0 ? past[past.length - 1] : now[key];
    if (v !== undefined) out[key] = v;
  }
  return out;
}

/** The directory as its members signed it: newest valid entry per member, deleted or not; nothing else. */
export function restoreMembers(members: unknown, history: RecordHistory | undefined, community: string): Record<string, MemberEntry> {
  const now = isRec(members) ? members : {};
  const out: Record<string, MemberEntry> = {};
  const valid = (key: string) => (r: Rec) => validMember(key, r as unknown as MemberEntry, community);
  for (const key of new Set([...Object.keys(now), ...(history?.keys(['members']) ?? [])])) {
    const v = best(now[key], history?.versions(['members'], key) ?? [], valid(key));
    if (isRec(v) && valid(key)(v)) out[key] = v as unknown as MemberEntry;
  }
  return out;
}

/** Every signed record ever filed in a map (deduplicated by signature), for records judged as a set. */
export function everRecords(map: unknown, history: RecordHistory | undefined, path: readonly string[]): unknown[] {
  const seen = new Map<string, unknown>();
  const now = isRec(map) ? map : {};
  for (const key of new Set([...Object.keys(now), ...(history?.keys(path) ?? [])])) {
    for (const raw of [now[key], ...(history?.versions(path, key) ?? [])]) {
      const r = plainScalars(raw);
      if (isRec(r) && typeof r.sig === 'string' && !seen.has(r.sig)) seen.set(r.sig, r);
    }
  }
  return [...seen.values()];
}
