/**
 * Community decisions sealed to the community's members (issue #17): what is proposed, who objects and
 * why, what was adopted is the community's own business, not that of every relay that carries a feed or
 * whoever seizes one. The whole signed record goes in the box (sign, then seal); the feed's sealed map
 * shows only its id, the audience, the epoch and a padded size — the same as a members-only post, so a
 * relay cannot even tell a decision from a post. Readers check the author's signature after opening.
 * Records written before this (in clear, in the feed's `decisions` map) are still read.
 */
import type { Random } from '../src/core/audience/key.ts';
import { seal } from '../src/core/audience/seal.ts';
import type { Keyring, SealedAudience } from '../src/core/audience/types.ts';
import { randomBytes } from '../src/core/crypto/keys.ts';
import { verifyRecord } from '../src/core/crypto/sign.ts';
import { newerByCreation, openSealedEntries, type OpenedEntries, type SealedKind } from '../src/core/model/sealed-entries.ts';
import type { SealedMemo } from '../src/core/model/sealed-memo.ts';
import type { FeedDoc, SealedFeedRecord } from '../src/core/model/types.ts';
import { checkDecisionRecord, type DecisionRecord } from './governance-records.ts';

export const DECISION_AUDIENCE: SealedAudience = 'members';

/** A decision record as its sealed map entry; AudienceInputError('no-key') while this phone holds no members' key. */
export function sealDecision(rec: DecisionRecord, keyring: Keyring, random: Random = randomBytes): SealedFeedRecord {
  return { id: rec.id, ...seal(rec, DECISION_AUDIENCE, keyring, random) };
}

const decisionKind: SealedKind<DecisionRecord> = {
  is: (r) => typeof r.type === 'string' && r.type.startsWith('decision-'),
  check: (rec, owner, key, s) => {
    const d = checkDecisionRecord(rec);
    if (!d) return 'error.malformedSealed';
    if (d.author !== owner) return 'error.wrongAuthor';
    if (d.id !== key) return 'error.idMismatch';
    return s.audience === DECISION_AUDIENCE ? null : 'error.badAudience';
  },
  // A decision record is written once under its own id.
  newer: newerByCreation,
};

/** The sealed decision records of `feed` this reader can open. Total: never throws on what a feed holds. */
export function openSealedDecisions(
  feed: Pick<FeedDoc, 'owner' | 'sealed'>,
  keyring: Keyring,
  verify: (r: unknown) => boolean = verifyRecord,
  versions: (key: string) => readonly unknown[] = () => [],
  memo?: SealedMemo,
): OpenedEntries<DecisionRecord> {
  return openSealedEntries(feed, keyring, decisionKind, verify, versions, memo);
}
