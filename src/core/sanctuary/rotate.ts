import { keyDuties, type Duty } from '../audience/duties.ts';
import type { CommunityTrust } from '../audience/entitlement.ts';
import { addKey, chainOf, currentKey } from '../audience/keyring.ts';
import { randomBytes, type Identity } from '../crypto/keys.ts';
import type { MemberEntry, Profile } from '../model/types.ts';
import type { TrustContext } from '../trust/can.ts';
import { entitledMembers } from './entitled.ts';
import { collectEntries, type EntryRejection } from './entries.ts';
import { resealEntry } from './entry.ts';
import { SanctuaryInputError } from './errors.ts';
import { newSanctuaryKey, sealKeyEnvelope, type Random } from './key.ts';
import { buildKeyring } from './keyring.ts';
import type { DecryptedEntry, Keyring, Rejection, SanctuaryEntryRecord, SanctuaryKey, SanctuaryKeyEnvelope } from './types.ts';

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

/**
 * Re-seal the latest version of every accepted entry under `key`, or (`late`) only those not sealed under
 * it: under an older epoch, or under a concurrent key of its epoch that lost (a steward whose phone still
 * counted a key its maker can no longer hand out). The record is signed by the steward carrying them
 * over; the content stays its writer's.
 */
function resealed(oldKeys: Keyring, entries: Iterable<unknown>, key: SanctuaryKey, by: RotateBy, late = false) {
  const records = [...entries];
  const { entries: open, rejected } = collectEntries(records, oldKeys, by.ctx, by.verify);
  let carried = open;
  if (late) {
    const underKey = new Map(collectEntries(records, new Map([[key.epoch, [key.key]]]), by.ctx, by.verify).entries.map((e) => [e.id, e.updated]));
    carried = open.filter((e) => underKey.get(e.id) !== e.updated);
  }
  return { entries: carried.map((e) => resealEntry(by.steward, key, e, by.random ?? randomBytes)), skipped: rejected, accepted: open };
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
  const { entries: carried, skipped } = resealed(oldKeys, entries, key, by);
  return { key, envelopes, entries: carried, skipped };
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
  /**
   * Entries to write: after a rotation every entry, re-sealed under the new epoch; otherwise those a
   * steward sealed under another key than the current one (their phone had not yet heard of the
   * rotation), carried into it. Such a late entry stayed open to whoever lost the tier.
   */
  entries: SanctuaryEntryRecord[];
  /** Every entry this steward accepts, before the duty (its versions superseded by these go: supersededKeys). */
  accepted: DecryptedEntry[];
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
  const by: RotateBy = { steward: s.me, ctx: s.trust, now: s.now, random: s.random, verify: s.verify };
  const entries = [...s.entries];
  if (duty.kind === 'rotate') {
    const r = resealed(keyring, entries, duty.key, by);
    return { keyring: addKey(duty.keyring, duty.key), duty, entries: r.entries, accepted: r.accepted };
  }
  const cur = currentKey(keyring);
  const settled = duty.kind === 'add' || duty.why === 'up-to-date';
  if (settled && cur) {
    const r = resealed(keyring, entries, cur, by, true);
    return { keyring, duty, entries: r.entries, accepted: r.accepted };
  }
  return { keyring, duty, entries: [], accepted: collectEntries(entries, keyring, s.trust, s.verify).entries };
}
