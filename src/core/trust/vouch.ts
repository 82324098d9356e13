import { randomBytes, type Identity } from '../crypto/keys.ts';
import { randomId } from '../crypto/encoding.ts';
import { signRecord, verifyRecord, type Unsigned } from '../crypto/sign.ts';
import type { FeedDoc, Revocation, Vouch } from '../model/types.ts';
import { plainScalars } from '../model/scalar-strings.ts';

export type VouchStrength = 1 | 2 | 3;

export interface VouchInput {
  to: string;
  strength: VouchStrength;
  note: string;
  expires?: number;
  /** The note travels sealed (vouch-note.ts): the vouch says so, its own `note` stays ''. */
  noteSealed?: boolean;
}

/** Why a vouch or revocation read from a feed is ignored. Stable strings: the UI maps them to i18n keys. */
export type RejectReason =
  | 'malformed'
  | 'forged-signature'
  | 'wrong-author'
  | 'from-not-author'
  | 'self-vouch'
  | 'bad-strength'
  | 'expired'
  | 'id-mismatch'
  | 'revoked'
  | 'revokes-other-author';

export interface Rejected {
  record: unknown;
  reason: RejectReason;
  /** Owner of the feed the record was found in. */
  feed: string;
}

export interface CollectedVouches {
  valid: Vouch[];
  rejected: Rejected[];
  /** Valid revocations that cancelled a valid vouch. */
  revocations: Revocation[];
}

export const MAX_NOTE = 500;

export function createVouch(identity: Identity, input: VouchInput, now: number): Vouch {
  if (input.to === identity.agentId) throw new RangeError('cannot vouch for yourself');
  if (!isStrength(input.strength)) throw new RangeError('strength must be 1, 2 or 3');
  const record: Unsigned<Vouch> = {
    type: 'vouch',
    id: randomId(randomBytes),
    author: identity.agentId,
    from: identity.agentId,
    to: input.to,
    strength: input.strength,
    note: input.noteSealed ? '' : input.note.slice(0, MAX_NOTE),
    created: now,
    ...(input.expires === undefined ? {} : { expires: input.expires }),
    ...(input.noteSealed ? { noteSealed: true as const } : {}),
  };
  return signRecord<Vouch>(record, identity.signSecretKey);
}

export function createRevocation(identity: Identity, vouchId: string, now: number): Revocation {
  const record: Unsigned<Revocation> = {
    type: 'revocation',
    id: randomId(randomBytes),
    author: identity.agentId,
    revokes: vouchId,
    created: now,
  };
  return signRecord<Revocation>(record, identity.signSecretKey);
}

function isStrength(s: unknown): s is VouchStrength {
  return s === 1 || s === 2 || s === 3;
}

const isStr = (v: unknown): v is string => typeof v === 'string';
const isTime = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** Shape check only: a record from a peer's doc is untrusted input of any shape. */
function vouchShape(r: Record<string, unknown>): boolean {
  return (
    r.type === 'vouch' &&
    isStr(r.id) && isStr(r.author) && isStr(r.from) && isStr(r.to) && isStr(r.note) && isStr(r.sig) &&
    isTime(r.created) && (r.expires === undefined || isTime(r.expires)) && (r.noteSealed === undefined || r.noteSealed === true)
  );
}

/**
 * Checks a vouch found in `feedOwner`'s feed. Order matters: the cheap structural checks first, the
 * signature before anything that trusts the record's content.
 */
/** Signature check; pass a memoised one (keyed by record sig) to avoid re-verifying unchanged feeds. */
export type Verify = (record: object) => boolean;

export function checkVouch(record: unknown, feedOwner: string, now: number, verify: Verify = verifyRecord): RejectReason | null {
  if (typeof record !== 'object' || record === null || !vouchShape(record as Record<string, unknown>)) {
    return 'malformed';
  }
  const v = record as Vouch;
  if (!verify(v)) return 'forged-signature';
  if (v.author !== feedOwner) return 'wrong-author';
  if (v.from !== v.author) return 'from-not-author';
  if (v.to === v.from) return 'self-vouch';
  if (!isStrength(v.strength)) return 'bad-strength';
  if (v.expires !== undefined && v.expires <= now) return 'expired';
  return null;
}

export function checkRevocation(record: unknown, feedOwner: string, verify: Verify = verifyRecord): RejectReason | null {
  if (typeof record !== 'object' || record === null) return 'malformed';
  const r = record as Record<string, unknown>;
  if (r.type !== 'revocation' || !isStr(r.id) || !isStr(r.author) || !isStr(r.revokes) || !isStr(r.sig) || !isTime(r.created)) {
    return 'malformed';
  }
  if (!verify(r)) return 'forged-signature';
  if (r.author !== feedOwner) return 'wrong-author';
  return null;
}

/** A map's records, stored as text or as scalars (model/scalar-strings.ts), in one form. */
function recordsOf(map: unknown): [string, unknown][] {
  return typeof map === 'object' && map !== null ? Object.entries(map).map(([k, v]) => [k, plainScalars(v)]) : [];
}

/**
 * All valid, unrevoked, unexpired vouches in a set of feeds, plus every ignored record with its reason.
 * Output is sorted by vouch id so that it does not depend on the order of feeds or map keys.
 */
export function collectVouches(feeds: readonly FeedDoc[], now: number, verify: Verify = verifyRecord): CollectedVouches {
  const byId = new Map<string, Vouch>();
  const rejected: Rejected[] = [];
  const revs: { rev: Revocation; feed: string }[] = [];
  for (const feed of feeds) {
    for (const [key, rec] of recordsOf(feed.vouches)) {
      const reason = checkVouch(rec, feed.owner, now, verify) ?? ((rec as Vouch).id !== key ? 'id-mismatch' : null);
      if (reason) rejected.push({ record: rec, reason, feed: feed.owner });
      else byId.set((rec as Vouch).id, rec as Vouch);
    }
    for (const [, rec] of recordsOf(feed.revocations)) {
      const reason = checkRevocation(rec, feed.owner, verify);
      if (reason) rejected.push({ record: rec, reason, feed: feed.owner });
      else revs.push({ rev: rec as Revocation, feed: feed.owner });
    }
  }
  const revocations: Revocation[] = [];
  for (const { rev, feed } of revs) {
    const target = byId.get(rev.revokes);
    if (!target) continue; // may revoke an expired or not-yet-synced vouch: harmless
    if (target.author !== rev.author) {
      rejected.push({ record: rev, reason: 'revokes-other-author', feed });
      continue;
    }
    byId.delete(rev.revokes);
    rejected.push({ record: target, reason: 'revoked', feed });
    revocations.push(rev);
  }
  const valid = [...byId.values()].sort((a, b) => cmp(a.id, b.id));
  revocations.sort((a, b) => cmp(a.id, b.id));
  return { valid, rejected, revocations };
}

export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Vouches given by `author` that expire within `withinMs` of `now`: the people page's reminders. */
export function expiringSoon(vouches: readonly Vouch[], author: string, now: number, withinMs: number): Vouch[] {
  return vouches
    .filter((v) => v.from === author && v.expires !== undefined && v.expires > now && v.expires <= now + withinMs)
    .sort((a, b) => (a.expires as number) - (b.expires as number) || cmp(a.id, b.id));
}

export function vouchesBy(vouches: readonly Vouch[], author: string): Vouch[] {
  return vouches.filter((v) => v.from === author);
}

export function vouchesFor(vouches: readonly Vouch[], subject: string): Vouch[] {
  return vouches.filter((v) => v.to === subject);
}
