import { randomBytes } from '../crypto/keys.ts';
import { verifyRecord } from '../crypto/sign.ts';
import type { Random } from '../audience/key.ts';
import { isSealedShape, open, seal } from '../audience/seal.ts';
import type { Keyring, SealedAudience } from '../audience/types.ts';
import { checkIntent } from './intent.ts';
import type { Rejected } from './feed.ts';
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
): OpenedIntents {
  const out: OpenedIntents = { intents: [], unreadable: 0, rejected: [] };
  const owner = feed.owner;
  const sealed = feed.sealed && typeof feed.sealed === 'object' ? feed.sealed : {};
  for (const [key, s] of Object.entries(sealed)) {
    const tried = openOne(owner, key, s, keyring, verify);
    let best = tried.intent;
    // Someone who syncs the feed may have put junk (or an older box) over the owner's latest: every
    // version the history holds is tried, and the owner's newest signed intent wins.
    if (versions(key).length > 0) {
      for (const v of versions(key)) {
        const i = v === s ? undefined : openOne(owner, key, v, keyring, verify).intent;
        if (i && (!best || i.updated > best.updated || (i.updated === best.updated && i.sig > best.sig))) best = i;
      }
    }
    if (best) out.intents.push(best);
    else if (tried.unreadable) out.unreadable++;
    else if (tried.rejected) out.rejected.push(tried.rejected);
  }
  return out;
}

function openOne(owner: string, key: string, s: unknown, keyring: Keyring, verify: (r: unknown) => boolean): { intent?: Intent; unreadable?: boolean; rejected?: Rejected } {
  if (!isSealedShape(s) || (s as Partial<SealedFeedRecord>).id !== key) return { rejected: { feedOwner: owner, id: key, reason: 'error.malformedSealed' } };
  const opened = open<Intent>(s, keyring, verify);
  if (!opened.ok) {
    if (opened.reason === 'no-key' || opened.reason === 'cannot-decrypt') return { unreadable: true };
    return { rejected: { feedOwner: owner, id: key, reason: `error.sealed.${opened.reason}` } };
  }
  const rec = opened.record;
  const problem = checkIntent(rec, owner) ?? (rec.id !== key ? 'error.idMismatch' : sealedAudienceOf(rec) !== s.audience ? 'error.badAudience' : null);
  return problem ? { rejected: { feedOwner: owner, id: key, reason: problem } } : { intent: rec };
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
