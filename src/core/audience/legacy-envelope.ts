import nacl from 'tweetnacl';
import { SECRETBOX_KEY_BYTES } from '../crypto/secretbox.ts';
import type { Identity } from '../crypto/keys.ts';
import type { Profile } from '../model/types.ts';
import { unboxFor } from './envelope.ts';
import { AudienceKeyError } from './errors.ts';
import { asObject, bytesOf, isEpoch, isId, isTime } from './shape.ts';
import type { EpochKey } from './types.ts';

/**
 * The sanctuary's key envelope before audience keys existed: one key of one epoch, `type: 'sanctuary-key'`.
 * Communities that set up a sanctuary then still hold entries sealed under those keys, so readers keep
 * opening them (read only: nothing writes this form any more). A steward's next duty run boxes the keys
 * it opened into a chain envelope, which migrates every entitled member without a rotation.
 */
export interface LegacySanctuaryEnvelope {
  type: 'sanctuary-key';
  id: string;
  author: string;
  epoch: number;
  to: string;
  nonce: string;
  ct: string;
  created: number;
  sig: string;
}

export function isLegacyEnvelope(v: unknown): v is LegacySanctuaryEnvelope {
  const e = asObject(v);
  return (
    !!e && e.type === 'sanctuary-key' && isId(e.id) && isEpoch(e.epoch) && typeof e.to === 'string' && typeof e.author === 'string' &&
    bytesOf(e.nonce, nacl.box.nonceLength) !== null && bytesOf(e.ct) !== null && isTime(e.created) && typeof e.sig === 'string'
  );
}

/** Open a legacy envelope addressed to `me`: its one key. Throws AudienceKeyError with a code; never anything else. */
export function openLegacyEnvelope(me: Identity, envelope: unknown, fromProfile: Profile | undefined): EpochKey[] {
  if (!isLegacyEnvelope(envelope)) throw new AudienceKeyError('malformed', 'not a sanctuary key envelope');
  const key = unboxFor(me, envelope, fromProfile);
  if (key.length !== SECRETBOX_KEY_BYTES) throw new AudienceKeyError('bad-key', 'boxed key is not 32 bytes');
  return [{ epoch: envelope.epoch, key }];
}
