import type { Identity } from '../crypto/keys.ts';
import { randomBytes } from '../crypto/keys.ts';
import { verifyRecord } from '../crypto/sign.ts';
import type { Profile } from '../model/types.ts';
import { sealEnvelope } from './envelope.ts';
import { keyId, newEpochKey, type Random } from './key.ts';
import { addKey, chainOf, currentKey, holdings, kidsOf, latestEpoch, readers, type IsIssuer } from './keyring.ts';
import type { SealedAudience, EpochKey, KeyEnvelope, Keyring } from './types.ts';

export interface DutyInput {
  audience: SealedAudience;
  /** The steward acting (must be an issuer itself). */
  me: Identity;
  /** My keys of the audience (buildKeyring). */
  keyring: Keyring;
  /** Every envelope in the doc, any audience. */
  envelopes: Iterable<unknown>;
  /** Who is entitled now, from shared data (entitledProfiles); must include every issuer. */
  entitled: readonly Profile[];
  isIssuer: IsIssuer;
  now: number;
  random?: Random;
  verify?: (r: unknown) => boolean;
}

export type Duty =
  /** Nothing to write; `why` says what this steward is waiting for, if anything. */
  | { kind: 'none'; why: 'up-to-date' | 'waiting-for-key' | 'not-a-steward' }
  /** Members who lack some key I hold get my whole chain; no new epoch. */
  | { kind: 'add'; envelopes: KeyEnvelope[] }
  /**
   * A new epoch, boxed with the whole chain to the entitled: the first key (`first-key`); a holder of the
   * current key lost entitlement (`lost`, naming them); or every key in use came from people who hand
   * out no keys now (`no-issuer-left`: the organisers who made them were removed or are no longer ones).
   */
  | { kind: 'rotate'; why: 'first-key' | 'lost' | 'no-issuer-left'; key: EpochKey; keyring: Keyring; envelopes: KeyEnvelope[]; lost: string[] };

/** Epochs above this are someone's junk (no community rotates four billion times): never built on. */
const EPOCH_SANE = 2 ** 32;

/**
 * What a steward must write so that key holders converge on the entitled set. A pure function of shared
 * data (envelopes, entitlement) and of my keys, so stewards who see the same docs decide the same:
 *
 * - Rotate only when someone who holds the current (winning) key is no longer entitled. The new epoch
 *   is the current one plus one: every steward noticing the same loss picks the same number, and of
 *   their concurrent keys the one with the smallest key id wins everywhere (currentKey). The losers'
 *   keys are not deleted: they stay in later chains, so nothing sealed with them becomes unreadable.
 * - Otherwise, an entitled member missing any key I hold gets one envelope with my whole chain, so
 *   everyone entitled now can read every epoch. Adding entitlement never rotates.
 * - Envelopes name a higher epoch than my keys: another steward rotated and my key has not reached me
 *   yet; I wait rather than rotate or hand out a stale chain.
 * - No issuer's key reached me, or keys newer than mine came only from former organisers: renew
 *   (`no-issuer-left`) rather than wait for a key nobody can hand out or fall back to an older one.
 */
export function keyDuties(input: DutyInput): Duty {
  const { audience, me, keyring, entitled, isIssuer, now } = input;
  const random = input.random ?? randomBytes;
  const verify = input.verify ?? verifyRecord;
  if (!isIssuer(me.agentId)) return { kind: 'none', why: 'not-a-steward' };
  const envelopes = [...input.envelopes];
  const cur = currentKey(keyring);
  const published = latestEpoch(envelopes, audience, isIssuer, verify);
  // The newest epoch I can read only with keys from someone who hands out no keys now.
  const readOnlyTop = Math.max(-1, ...[...(keyring.readOnly?.keys() ?? [])].filter((e) => e <= EPOCH_SANE));
  // An issuer published an epoch I cannot read at all: their envelope to me is on its way.
  if (published !== null && (!cur || published > cur.epoch) && readOnlyTop < published) return { kind: 'none', why: 'waiting-for-key' };
  if (!cur || readOnlyTop > cur.epoch) {
    // No issuer's key for me, or newer keys than mine came only from former organisers: a new key above
    // every epoch any envelope names (concurrent stewards pick the same number; concurrent keys resolve
    // like rotations). Falling back to my older key instead would be unsafe: whoever a former organiser's
    // rotation cut off still holds it, and the envelopes that showed it were retired by that rotation.
    const seen = latestEpoch(envelopes, audience, () => true, verify, EPOCH_SANE);
    const key = newEpochKey(Math.max(seen ?? 0, readOnlyTop, cur?.epoch ?? 0) + 1, random);
    const ring = addKey(keyring, key);
    const why = seen === null ? 'first-key' : 'no-issuer-left';
    return { kind: 'rotate', why, key, keyring: ring, envelopes: entitled.map((p) => sealEnvelope(me, audience, chainOf(ring), p, now, random)), lost: [] };
  }
  const entitledIds = new Set(entitled.map((p) => p.author));
  const winner = keyId(cur.key);
  // Anyone who can read with the current key, however it reached them (readers), and is not entitled.
  const lost = [...readers(envelopes, audience, isIssuer, verify).entries()].filter(([id, kids]) => kids.has(winner) && !entitledIds.has(id)).map(([id]) => id).sort();
  if (lost.length > 0) {
    const key = newEpochKey(cur.epoch + 1, random);
    const ring = addKey(keyring, key);
    const chain = chainOf(ring);
    return { kind: 'rotate', why: 'lost', key, keyring: ring, envelopes: entitled.map((p) => sealEnvelope(me, audience, chain, p, now, random)), lost };
  }
  const held = holdings(envelopes, audience, isIssuer, verify);
  const mine = kidsOf(keyring);
  const missing = entitled.filter((p) => {
    const have = held.get(p.author);
    return !have || [...mine].some((k) => !have.has(k));
  });
  if (missing.length === 0) return { kind: 'none', why: 'up-to-date' };
  const chain = chainOf(keyring);
  return { kind: 'add', envelopes: missing.map((p) => sealEnvelope(me, audience, chain, p, now, random)) };
}
