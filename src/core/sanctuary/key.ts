import { sealEnvelope, openEnvelope } from '../audience/envelope.ts';
import { AudienceInputError } from '../audience/errors.ts';
import { newEpochKey, type Random } from '../audience/key.ts';
import { isEpoch } from '../audience/shape.ts';
import { randomBytes, type Identity } from '../crypto/keys.ts';
import type { Profile } from '../model/types.ts';
import { SanctuaryInputError } from './errors.ts';
import type { SanctuaryKey, SanctuaryKeyEnvelope } from './types.ts';

export type { Random };

export function newSanctuaryKey(epoch: number, random: Random = randomBytes): SanctuaryKey {
  if (!isEpoch(epoch)) throw new SanctuaryInputError('bad-epoch', 'epoch must be a non-negative safe integer');
  return newEpochKey(epoch, random);
}

/**
 * Box `key` — and the `older` keys, so the member can read entries sealed before — to the member whose
 * signed profile is `to`, signed by the issuing steward. The sanctuary is the `sanctuary` audience.
 */
export function sealKeyEnvelope(
  issuer: Identity,
  key: SanctuaryKey,
  to: Profile,
  now: number,
  random: Random = randomBytes,
  older: readonly SanctuaryKey[] = [],
): SanctuaryKeyEnvelope {
  try {
    return sealEnvelope(issuer, 'sanctuary', [...older.filter((k) => k.epoch <= key.epoch), key], to, now, random) as SanctuaryKeyEnvelope;
  } catch (e) {
    if (e instanceof AudienceInputError && e.code === 'bad-profile') throw new SanctuaryInputError('bad-profile', e.message);
    throw e;
  }
}

/**
 * Open an envelope addressed to `me`; returns the key of the envelope's epoch (buildKeyring takes the
 * whole chain). Throws SanctuaryKeyError with a code; never anything else.
 */
export function openKeyEnvelope(me: Identity, envelope: unknown, fromProfile: Profile | undefined): SanctuaryKey {
  const chain = openEnvelope(me, envelope, fromProfile);
  const epoch = (envelope as SanctuaryKeyEnvelope).epoch;
  return chain.filter((k) => k.epoch === epoch)[0];
}
