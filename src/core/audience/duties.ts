import type { Identity } from '../crypto/keys.ts';
import { randomBytes } from '../crypto/keys.ts';
import { verifyRecord } from '../crypto/sign.ts';
import type { Profile } from '../model/types.ts';
import { sealEnvelope } from './envelope.ts';
import { keyId, newEpochKey, type Random } from './key.ts';
import { addKey, chainOf, currentKey, holdings, kidsOf, latestEpoch, type IsIssuer } from './keyring.ts';
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
  /** A holder of the current key lost entitlement: a new epoch, boxed with the whole chain to the entitled. */
  | { kind: 'rotate'; key: EpochKey; keyring: Keyring; envelopes: KeyEnvelope[]; lost: string[] };

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
 */
export function keyDuties(input: DutyInput): Duty {
  const { audience, me, keyring, entitled, isIssuer, now } = input;
  const random = input.random ?? randomBytes;
  const verify = input.verify ?? verifyRecord;
  if (!isIssuer(me.agentId)) return { kind: 'none', why: 'not-a-steward' };
  const envelopes = [...input.envelopes];
  const cur = currentKey(keyring);
  const published = latestEpoch(envelopes, audience, isIssuer, verify);
  if (published === null && !cur) {
    // Nobody holds a key yet: the first epoch. Concurrent first keys resolve like rotations.
    const key = newEpochKey(1, random);
    const ring = addKey(new Map(), key);
    return { kind: 'rotate', key, keyring: ring, envelopes: entitled.map((p) => sealEnvelope(me, audience, chainOf(ring), p, now, random)), lost: [] };
  }
  if (!cur || (published !== null && published > cur.epoch)) return { kind: 'none', why: 'waiting-for-key' };
  const held = holdings(envelopes, audience, isIssuer, verify);
  const entitledIds = new Set(entitled.map((p) => p.author));
  const winner = keyId(cur.key);
  const lost = [...held.entries()].filter(([id, kids]) => kids.has(winner) && !entitledIds.has(id)).map(([id]) => id).sort();
  if (lost.length > 0) {
    const key = newEpochKey(cur.epoch + 1, random);
    const ring = addKey(keyring, key);
    const chain = chainOf(ring);
    return { kind: 'rotate', key, keyring: ring, envelopes: entitled.map((p) => sealEnvelope(me, audience, chain, p, now, random)), lost };
  }
  const mine = kidsOf(keyring);
  const missing = entitled.filter((p) => {
    const have = held.get(p.author);
    return !have || [...mine].some((k) => !have.has(k));
  });
  if (missing.length === 0) return { kind: 'none', why: 'up-to-date' };
  const chain = chainOf(keyring);
  return { kind: 'add', envelopes: missing.map((p) => sealEnvelope(me, audience, chain, p, now, random)) };
}
