import { randomBytes } from '../crypto/keys.ts';
import { verifyRecord } from '../crypto/sign.ts';
import type { Random } from '../audience/key.ts';
import { seal } from '../audience/seal.ts';
import type { Keyring, SealedAudience } from '../audience/types.ts';
import { checkOpenedIntent } from './intent.ts';
import type { Rejected } from './feed.ts';
import { AGREEMENT_TYPES } from './sealed-agreement.ts';
import { openSealedEntries, type SealedKind } from './sealed-entries.ts';
import type { SealedMemo } from './sealed-memo.ts';
import type { FeedDoc, Intent, SealedFeedRecord } from './types.ts';

/**
 * Which sealed audience a post's routing audience is read by. Every non-public intent is sealed to the
 * community's vouched members: the form offers "vouched members only", and `local`/`private` posts must
 * not travel in clear either.
 */
export function sealedAudienceOf(i: Pick<Intent, 'audience'>): SealedAudience | null {
  return i.audience === 'public' ? null : 'members';
}

/**
 * A members-only intent sealed for the feed doc: sign-then-seal (core/audience/seal.ts) under the
 * audience's current key. Outside the box only the post id (so an edit replaces its older version),
 * the audience, the epoch and a padded length show. Throws AudienceInputError('no-key') without a key.
 */
export function sealIntent(intent: Intent, keyring: Keyring, random: Random = randomBytes): SealedFeedRecord {
  const audience = sealedAudienceOf(intent);
  if (!audience) throw new TypeError('a public intent is not sealed');
  return { id: intent.id, ...seal(intent, audience, keyring, random) };
}

export interface OpenedIntents {
  intents: Intent[];
  /** Sealed records this reader holds no key for: not shown, not an error (the reader is not entitled, or waits for a key). */
  unreadable: number;
  /** Records that opened but are not the owner's valid intent under that id, or are malformed. */
  rejected: Rejected[];
}

/** Kinds other than posts that share the sealed map; anything else that opens is judged as a post (junk is reported). */
const OTHER_KINDS = (type: unknown): boolean => type === 'vouch-note' || AGREEMENT_TYPES.has(type) || (typeof type === 'string' && type.startsWith('decision-'));

const intentKind: SealedKind<Intent> = {
  is: (r) => !OTHER_KINDS(r.type),
  check: (rec, owner, key, s) => {
    const i = rec as Intent;
    // The signature was checked inside the box when it opened (or when it was first opened, if recalled).
    return checkOpenedIntent(i, owner) ?? (i.id !== key ? 'error.idMismatch' : sealedAudienceOf(i) !== s.audience ? 'error.badAudience' : null);
  },
  newer: (a, b) => a.updated > b.updated || (a.updated === b.updated && a.sig > b.sig),
};

/**
 * The members-only intents of `feed` this reader can open with `keyring`: each must open, carry a valid
 * signature of the feed's owner inside, be an intent of a sealed audience and sit under its own id.
 * Total: never throws on whatever a feed holds.
 */
export function openSealedIntents(
  feed: Pick<FeedDoc, 'owner' | 'sealed'>,
  keyring: Keyring,
  verify: (r: unknown) => boolean = verifyRecord,
  /** Every version ever filed under a key (sync/signed-history.ts): an overwritten box is still read. */
  versions: (key: string) => readonly unknown[] = () => [],
  /** Entries opened before (core/model/sealed-memo.ts): not decrypted and checked again. */
  memo?: SealedMemo,
): OpenedIntents {
  const o = openSealedEntries(feed, keyring, intentKind, verify, versions, memo);
  return { intents: o.records, unreadable: o.unreadable, rejected: o.rejected };
}

/**
 * One version per intent id from the plain and the opened sealed intents: the later `updated` wins (a
 * post made members-only after it was public replaces its public version, and the other way round).
 */
export function mergeIntents(plain: readonly Intent[], opened: readonly Intent[]): Intent[] {
  const best = new Map<string, Intent>();
  for (const i of [...plain, ...opened]) {
    const prev = best.get(i.id);
    if (!prev || i.updated > prev.updated || (i.updated === prev.updated && i.sig > prev.sig)) best.set(i.id, i);
  }
  return [...best.values()];
}
