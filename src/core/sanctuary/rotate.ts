import { randomBytes, type Identity } from '../crypto/keys.ts';
import type { Profile } from '../model/types.ts';
import type { TrustContext } from '../trust/can.ts';
import { collectEntries, type EntryRejection } from './entries.ts';
import { resealEntry } from './entry.ts';
import { SanctuaryInputError } from './errors.ts';
import { newSanctuaryKey, sealKeyEnvelope, type Random } from './key.ts';
import type { Keyring, Rejection, SanctuaryEntryRecord, SanctuaryKey, SanctuaryKeyEnvelope } from './types.ts';

export interface RotateBy {
  /** The steward rotating: issues the envelopes and signs the re-sealed entries. */
  steward: Identity;
  /** The steward's own trust view: only entries by stewards in it are carried over. */
  ctx: TrustContext;
  now: number;
  random?: Random;
  /** Signature check for the old entries (default verifyRecord); pass a memoised one. */
  verify?: (r: unknown) => boolean;
}

export interface Rotation {
  key: SanctuaryKey;
  /** One per entitled member, sorted by recipient. */
  envelopes: SanctuaryKeyEnvelope[];
  /** The latest version of every entry the steward accepts, re-sealed under the new epoch (same id, created, updated). */
  entries: SanctuaryEntryRecord[];
  /** Records not carried over, and why (collectEntries' reasons). */
  skipped: Rejection<EntryRejection>[];
}

/**
 * A new epoch (pure: returns the records to write). Members no longer entitled get no envelope, so
 * they cannot read new entries nor the re-sealed old ones. `entitled` normally comes from
 * entitledMembers and so includes the rotating steward (who scores 1 in their own view). The
 * re-sealed entries are signed by the rotating steward, who vouches for carrying them over.
 */
export function rotate(oldKeys: Keyring, entries: Iterable<unknown>, newEpoch: number, entitled: readonly Profile[], by: RotateBy): Rotation {
  for (const e of oldKeys.keys()) {
    if (newEpoch <= e) throw new SanctuaryInputError('bad-epoch', `new epoch ${newEpoch} must be above ${e}`);
  }
  const random = by.random ?? randomBytes;
  const key = newSanctuaryKey(newEpoch, random);
  const recipients = new Map(entitled.map((p) => [p.author, p]));
  const envelopes = [...recipients.keys()].sort().map((id) => sealKeyEnvelope(by.steward, key, recipients.get(id)!, by.now, random));
  const { entries: open, rejected } = collectEntries(entries, oldKeys, by.ctx, by.verify);
  const resealed = open.map((e) => resealEntry(by.steward, key, e, e.entry, random));
  return { key, envelopes, entries: resealed, skipped: rejected };
}
