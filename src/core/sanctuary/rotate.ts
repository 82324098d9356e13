import { keyDuties, type Duty } from '../audience/duties.ts';
import type { CommunityTrust } from '../audience/entitlement.ts';
import { addKey, chainOf } from '../audience/keyring.ts';
import { randomBytes, type Identity } from '../crypto/keys.ts';
import type { MemberEntry, Profile } from '../model/types.ts';
import type { TrustContext } from '../trust/can.ts';
import { entitledMembers } from './entitled.ts';
import { collectEntries, type EntryRejection } from './entries.ts';
import { resealEntry } from './entry.ts';
import { SanctuaryInputError } from './errors.ts';
import { newSanctuaryKey, sealKeyEnvelope, type Random } from './key.ts';
import { buildKeyring } from './keyring.ts';
import type { Keyring, Rejection, SanctuaryEntryRecord, SanctuaryKey, SanctuaryKeyEnvelope } from './types.ts';

export interface RotateBy {
  /** The steward rotating: issues the envelopes and signs the re-sealed entries. */
  steward: Identity;
  /** Who counts as a steward (the community's shared context): only entries by stewards are carried over. */
  ctx: TrustContext;
  now: number;
  random?: Random;
  /** Signature check for the old entries (default verifyRecord); pass a memoised one. */
  verify?: (r: unknown) => boolean;
}

export interface Rotation {
  key: SanctuaryKey;
  /** One per entitled member, sorted by recipient; each carries every old key too. */
  envelopes: SanctuaryKeyEnvelope[];
  /** The latest version of every entry the steward accepts, re-sealed under the new epoch (same id, created, updated). */
  entries: SanctuaryEntryRecord[];
  /** Records not carried over, and why (collectEntries' reasons). */
  skipped: Rejection<EntryRejection>[];
}

/** Re-seal the latest version of every accepted entry under `key` (signed by the steward carrying them over). */
function resealed(oldKeys: Keyring, entries: Iterable<unknown>, key: SanctuaryKey, by: RotateBy) {
  const { entries: open, rejected } = collectEntries(entries, oldKeys, by.ctx, by.verify);
  return { entries: open.map((e) => resealEntry(by.steward, key, e, e.entry, by.random ?? randomBytes)), skipped: rejected };
}

/**
 * A new epoch (pure: returns the records to write). Members no longer entitled get no envelope, so
 * they cannot read new entries nor the re-sealed old ones. Each envelope carries the old keys as well,
 * so an entry some replica still holds under an old epoch stays readable to everyone entitled now.
 */
export function rotate(oldKeys: Keyring, entries: Iterable<unknown>, newEpoch: number, entitled: readonly Profile[], by: RotateBy): Rotation {
  for (const e of oldKeys.keys()) {
    if (newEpoch <= e) throw new SanctuaryInputError('bad-epoch', `new epoch ${newEpoch} must be above ${e}`);
  }
  const random = by.random ?? randomBytes;
  const key = newSanctuaryKey(newEpoch, random);
  const older = chainOf(oldKeys);
  const recipients = new Map(entitled.map((p) => [p.author, p]));
  const envelopes = [...recipients.keys()].sort().map((id) => sealKeyEnvelope(by.steward, key, recipients.get(id)!, by.now, random, older));
  return { key, envelopes, ...resealed(oldKeys, entries, key, by) };
}

export interface SanctuaryState {
  me: Identity;
  /** communityContext(vouches, signed stewards, thresholds, sanctuary tier): the same on every phone. */
  trust: CommunityTrust;
  members: Record<string, MemberEntry>;
  /** Every envelope in the community doc. */
  envelopes: Iterable<unknown>;
  /** Every record in the sanctuary doc's entries. */
  entries: Iterable<unknown>;
  profileOf: (agentId: string) => Profile | undefined;
  now: number;
  random?: Random;
  verify?: (r: unknown) => boolean;
}

export interface SanctuaryDuty {
  /** My keys after the duty (with the new epoch's key after a rotation). */
  keyring: Keyring;
  duty: Duty;
  /** After a rotation: the entries re-sealed under the new epoch; else empty. */
  entries: SanctuaryEntryRecord[];
}

/**
 * A steward's sanctuary duties, decided from shared data only (keyDuties): give the key chain to newly
 * entitled members, or — once per loss of entitlement, however many stewards notice — rotate to the
 * next epoch and re-seal the entries. Stewards deciding on the same docs decide the same.
 */
export function sanctuaryDuties(s: SanctuaryState): SanctuaryDuty {
  const envelopes = [...s.envelopes];
  const { keyring } = buildKeyring(s.me, envelopes, s.profileOf, s.trust);
  const entitled = entitledMembers(s.members, s.trust.scores, s.trust);
  const duty = keyDuties({ audience: 'sanctuary', me: s.me, keyring, envelopes, entitled, isIssuer: s.trust.isSteward, now: s.now, random: s.random, verify: s.verify });
  if (duty.kind !== 'rotate') return { keyring, duty, entries: [] };
  const by: RotateBy = { steward: s.me, ctx: s.trust, now: s.now, random: s.random, verify: s.verify };
  return { keyring: addKey(duty.keyring, duty.key), duty, entries: resealed(keyring, s.entries, duty.key, by).entries };
}
