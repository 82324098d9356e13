import nacl from 'tweetnacl';
import { randomId, toBase64Url } from '../crypto/encoding.ts';
import { randomBytes, type Identity } from '../crypto/keys.ts';
import { signRecord, verifyRecord } from '../crypto/sign.ts';
import type { Profile } from '../model/types.ts';
import { SanctuaryInputError, SanctuaryKeyError } from './errors.ts';
import { asObject, bytesOf, isEpoch, isId, isTime } from '../audience/shape.ts';
import type { SanctuaryKey, SanctuaryKeyEnvelope } from './types.ts';

export type Random = (n: number) => Uint8Array;

export function newSanctuaryKey(epoch: number, random: Random = randomBytes): SanctuaryKey {
  if (!isEpoch(epoch)) throw new SanctuaryInputError('bad-epoch', 'epoch must be a non-negative safe integer');
  return { epoch, key: random(nacl.secretbox.keyLength) };
}

/** The recipient's box key, only from a profile they signed themselves. */
function boxKeyOf(profile: Profile): Uint8Array | null {
  if (profile?.type !== 'profile' || !verifyRecord(profile)) return null;
  return bytesOf(profile.boxKey, nacl.box.publicKeyLength);
}

/** Box `key` to the member whose signed profile is `to`, signed by the issuing steward. */
export function sealKeyEnvelope(issuer: Identity, key: SanctuaryKey, to: Profile, now: number, random: Random = randomBytes): SanctuaryKeyEnvelope {
  const boxKey = boxKeyOf(to);
  if (!boxKey) throw new SanctuaryInputError('bad-profile', 'recipient profile does not verify or has no box key');
  const nonce = random(nacl.box.nonceLength);
  const ct = nacl.box(key.key, nonce, boxKey, issuer.boxSecretKey);
  return signRecord<SanctuaryKeyEnvelope>(
    { type: 'sanctuary-key', id: randomId(random), author: issuer.agentId, epoch: key.epoch, to: to.author, nonce: toBase64Url(nonce), ct: toBase64Url(ct), created: now },
    issuer.signSecretKey,
  );
}

export function isEnvelopeShape(v: unknown): v is SanctuaryKeyEnvelope {
  const e = asObject(v);
  return (
    !!e && e.type === 'sanctuary-key' && isId(e.id) && isEpoch(e.epoch) && typeof e.to === 'string' && typeof e.author === 'string' &&
    bytesOf(e.nonce, nacl.box.nonceLength) !== null && bytesOf(e.ct) !== null && isTime(e.created) && typeof e.sig === 'string'
  );
}

/**
 * Open an envelope addressed to `me`. `fromProfile` is the issuer's signed profile (from the member
 * directory). Whether the issuer is a steward is the reader's trust decision: see buildKeyring.
 * Throws SanctuaryKeyError with a code; never anything else.
 */
export function openKeyEnvelope(me: Identity, envelope: unknown, fromProfile: Profile | undefined): SanctuaryKey {
  if (!isEnvelopeShape(envelope)) throw new SanctuaryKeyError('malformed', 'not a sanctuary key envelope');
  if (envelope.to !== me.agentId) throw new SanctuaryKeyError('not-for-me', 'envelope is addressed to someone else');
  if (!verifyRecord(envelope)) throw new SanctuaryKeyError('forged-signature', 'envelope signature does not verify');
  const fromBox = fromProfile?.author === envelope.author ? boxKeyOf(fromProfile) : null;
  if (!fromBox) throw new SanctuaryKeyError('sender-profile', "issuer's profile missing, forged or of another member");
  const key = nacl.box.open(bytesOf(envelope.ct)!, bytesOf(envelope.nonce)!, fromBox, me.boxSecretKey);
  if (!key) throw new SanctuaryKeyError('cannot-open', 'envelope does not open with my box key');
  if (key.length !== nacl.secretbox.keyLength) throw new SanctuaryKeyError('bad-key', 'boxed key is not 32 bytes');
  return { epoch: envelope.epoch, key };
}
