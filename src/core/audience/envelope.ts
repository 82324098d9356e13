import nacl from 'tweetnacl';
import { SECRETBOX_KEY_BYTES } from '../crypto/secretbox.ts';
import { canonicalJson } from '../crypto/canonical.ts';
import { randomId, toBase64Url, utf8 } from '../crypto/encoding.ts';
import { randomBytes, type Identity } from '../crypto/keys.ts';
import { signRecord, verifyRecord, type Signed } from '../crypto/sign.ts';
import type { Profile } from '../model/types.ts';
import { AudienceInputError, AudienceKeyError } from './errors.ts';
import { keyId, KID_LENGTH, type Random } from './key.ts';
import { asObject, bytesOf, isEpoch, isId, isTime } from './shape.ts';
import { SEALED_AUDIENCES, type SealedAudience, type EpochKey, type KeyEnvelope } from './types.ts';

/**
 * Most keys one envelope carries. Every rotation adds one key to the chain, so this is also how many
 * rotations a community can go through before its oldest epochs must be re-sealed (resealAll).
 */
export const MAX_CHAIN = 256;

/** The recipient's box key, only from a profile they signed themselves. */
export function boxKeyOf(profile: Profile | undefined): Uint8Array | null {
  if (profile?.type !== 'profile' || !verifyRecord(profile)) return null;
  return bytesOf(profile.boxKey, nacl.box.publicKeyLength);
}

/** Chain order: by epoch, then key id — the same bytes whoever seals it. */
function ordered(chain: readonly EpochKey[]): EpochKey[] {
  const seen = new Map<string, EpochKey>();
  for (const k of chain) seen.set(keyId(k.key), k);
  return [...seen.entries()].sort(([a, x], [b, y]) => x.epoch - y.epoch || (a < b ? -1 : a > b ? 1 : 0)).map(([, k]) => k);
}

/**
 * Box every key of `chain` to the member whose signed profile is `to`, signed by the issuing steward.
 * Throws AudienceInputError for a recipient profile that does not verify or an empty or oversized chain.
 */
export function sealEnvelope(issuer: Identity, audience: SealedAudience, chain: readonly EpochKey[], to: Profile, now: number, random: Random = randomBytes): KeyEnvelope {
  const boxKey = boxKeyOf(to);
  if (!boxKey) throw new AudienceInputError('bad-profile', 'recipient profile does not verify or has no box key');
  const keys = ordered(chain);
  if (keys.length === 0 || keys.length > MAX_CHAIN) throw new AudienceInputError('too-many-keys', `a chain holds 1..${MAX_CHAIN} keys`);
  if (!keys.every((k) => isEpoch(k.epoch))) throw new AudienceInputError('bad-epoch', 'epoch must be a non-negative safe integer');
  const payload = utf8.encode(canonicalJson(keys.map((k) => [k.epoch, toBase64Url(k.key)])));
  const nonce = random(nacl.box.nonceLength);
  const ct = nacl.box(payload, nonce, boxKey, issuer.boxSecretKey);
  return signRecord<KeyEnvelope>(
    {
      type: 'audience-key',
      id: randomId(random),
      audience,
      author: issuer.agentId,
      epoch: keys[keys.length - 1].epoch,
      kids: keys.map((k) => keyId(k.key)),
      to: to.author,
      nonce: toBase64Url(nonce),
      ct: toBase64Url(ct),
      created: now,
    },
    issuer.signSecretKey,
  );
}

export function isEnvelopeShape(v: unknown): v is KeyEnvelope {
  const e = asObject(v);
  return (
    !!e && e.type === 'audience-key' && isId(e.id) && SEALED_AUDIENCES.includes(e.audience as SealedAudience) && isEpoch(e.epoch) &&
    Array.isArray(e.kids) && e.kids.length > 0 && e.kids.length <= MAX_CHAIN && e.kids.every((k) => typeof k === 'string' && k.length === KID_LENGTH) &&
    typeof e.to === 'string' && typeof e.author === 'string' && bytesOf(e.nonce, nacl.box.nonceLength) !== null && bytesOf(e.ct) !== null &&
    isTime(e.created) && typeof e.sig === 'string'
  );
}

/** The decoded chain, or the error code of what is wrong with it. Keys must match the public kids. */
function decodeChain(bytes: Uint8Array, env: KeyEnvelope): EpochKey[] {
  let list: unknown;
  try {
    list = JSON.parse(utf8.decode(bytes));
  } catch {
    throw new AudienceKeyError('bad-key', 'boxed chain is not JSON');
  }
  if (!Array.isArray(list) || list.length !== env.kids.length) throw new AudienceKeyError('bad-key', 'boxed chain does not match its key ids');
  const keys = list.map((item, i): EpochKey => {
    const key = Array.isArray(item) && item.length === 2 && isEpoch(item[0]) ? bytesOf(item[1], SECRETBOX_KEY_BYTES) : null;
    if (!key || keyId(key) !== env.kids[i]) throw new AudienceKeyError('bad-key', 'boxed key is not 32 bytes or does not match its key id');
    return { epoch: item[0] as number, key };
  });
  if (keys[keys.length - 1].epoch !== env.epoch || keys.some((k) => k.epoch > env.epoch)) throw new AudienceKeyError('bad-key', 'chain does not end at the envelope epoch');
  return keys;
}

/**
 * Open an envelope addressed to `me`: every key of its chain, oldest first. `fromProfile` is the issuer's
 * signed profile. Whether the issuer may hand out keys is decided by the keyring (buildKeyring).
 * Throws AudienceKeyError with a code; never anything else.
 */
export function openEnvelope(me: Identity, envelope: unknown, fromProfile: Profile | undefined): EpochKey[] {
  if (!isEnvelopeShape(envelope)) throw new AudienceKeyError('malformed', 'not an audience key envelope');
  return decodeChain(unboxFor(me, envelope, fromProfile), envelope);
}

/**
 * The checks every key envelope passes before its box is opened (this one and the legacy sanctuary form):
 * addressed to me, signed by its author, whose own signed profile gives the box key. Returns the plaintext.
 */
export function unboxFor(me: Identity, envelope: Signed & { to: string; author: string; ct: string; nonce: string }, fromProfile: Profile | undefined): Uint8Array {
  if (envelope.to !== me.agentId) throw new AudienceKeyError('not-for-me', 'envelope is addressed to someone else');
  if (!verifyRecord(envelope)) throw new AudienceKeyError('forged-signature', 'envelope signature does not verify');
  const fromBox = fromProfile?.author === envelope.author ? boxKeyOf(fromProfile) : null;
  if (!fromBox) throw new AudienceKeyError('sender-profile', "issuer's profile missing, forged or of another member");
  const bytes = nacl.box.open(bytesOf(envelope.ct)!, bytesOf(envelope.nonce)!, fromBox, me.boxSecretKey);
  if (!bytes) throw new AudienceKeyError('cannot-open', 'envelope does not open with my box key');
  return bytes;
}
