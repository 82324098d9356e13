import { ed25519 } from '@noble/curves/ed25519.js';
import nacl from 'tweetnacl';
import { secretbox, secretboxOpen, SECRETBOX_NONCE_BYTES, SECRETBOX_OVERHEAD } from '../crypto/secretbox.ts';
import { concatBytes } from '../crypto/bytes.ts';
import { sha512 } from '../crypto/hash.ts';
import { utf8 } from '../crypto/encoding.ts';

/**
 * Sealed carriage: a change-set or contact-sync payload as it leaves a relay, readable only by the
 * relays its community names (the steward-signed `relays` list of ed25519 keys). Any carrier — a
 * bridge, a stranger on the TCPCL port, a standard BPv7 node — holds opaque bytes.
 *
 * Relay keys are ed25519 (they sign block 193 and the TLS certificates). They are converted to x25519
 * (RFC 7748, the birational map libsodium's crypto_sign_ed25519_pk_to_curve25519 uses) with
 * @noble/curves, rather than adding a second key beside each relay key: the steward-signed list then
 * names exactly the keys a payload is sealed to, with no second list to publish, sign and keep in step.
 *
 * Layout (all lengths fixed except the count and the box):
 *   'seal' | version 1 | ephemeral x25519 key (32) | n (1..64) | n × wrap (48) | box
 * - content key: 32 fresh random bytes per payload;
 * - wrap i = secretbox(content key, zero nonce, sha512(ctx ‖ x25519(eph, Rᵢ) ‖ eph ‖ Rᵢ)[0..32]):
 *   the wrap key is used once (the ephemeral key is fresh per payload), so a fixed nonce is safe;
 * - box = secretbox(payload, sha512(ctx ‖ header)[0..24], content key), header = every byte before it,
 *   so changing any byte of the header (another recipient's wrap included) fails the box's MAC.
 * Wraps do not name their recipient: a carrier learns how many relays may open it, not which.
 */

const MAGIC = utf8.encode('seal');
const VERSION = 1;
const KEY = 32;
const WRAP = KEY + SECRETBOX_OVERHEAD;
const HEAD = MAGIC.length + 1 + KEY + 1;
export const MAX_CARRIAGE_RECIPIENTS = 64;
const WRAP_CONTEXT = utf8.encode('solarpunk-mesh sealed carriage wrap v1\u0000');
const NONCE_CONTEXT = utf8.encode('solarpunk-mesh sealed carriage box v1\u0000');
const ZERO_NONCE = new Uint8Array(SECRETBOX_NONCE_BYTES);

export type CarriageSealErrorCode = 'no-recipients' | 'too-many-recipients';

export class CarriageSealError extends Error {
  constructor(
    readonly code: CarriageSealErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'CarriageSealError';
  }
}

/** What a relay holds to open sealed carriage: the x25519 form of its ed25519 key. */
export interface CarriageOpener {
  secret: Uint8Array;
  public: Uint8Array;
}

/** The opener for an ed25519 key, from its 32-byte seed (the first half of a tweetnacl secret key). */
export function carriageOpener(ed25519Seed: Uint8Array): CarriageOpener {
  const secret = ed25519.utils.toMontgomerySecret(ed25519Seed.subarray(0, KEY));
  return { secret, public: nacl.scalarMult.base(secret) };
}

/** The x25519 key a relay key is sealed to, or null when the bytes are no usable ed25519 point. */
export function carriageRecipient(ed25519Public: Uint8Array): Uint8Array | null {
  if (ed25519Public.length !== KEY) return null;
  try {
    return ed25519.utils.toMontgomery(ed25519Public);
  } catch {
    return null;
  }
}

/** A sealed payload starts with 'seal' (a clear sync payload is a CBOR map, first byte 0xa0-0xbf). */
export function isSealedCarriage(bytes: Uint8Array): boolean {
  return bytes.length >= MAGIC.length && MAGIC.every((b, i) => bytes[i] === b);
}

function wrapKey(shared: Uint8Array, eph: Uint8Array, recipient: Uint8Array): Uint8Array {
  return sha512(concatBytes(WRAP_CONTEXT, shared, eph, recipient)).subarray(0, KEY);
}

function boxNonce(header: Uint8Array): Uint8Array {
  return sha512(concatBytes(NONCE_CONTEXT, header)).subarray(0, SECRETBOX_NONCE_BYTES);
}

const isZero = (b: Uint8Array): boolean => b.every((x) => x === 0);

/**
 * x25519 (RFC 7748): tweetnacl's by default; the relay installs node:crypto's (OpenSSL), about a
 * hundred times faster, since it seals and opens every change-set it carries. `shared` returns 32 zero
 * bytes (or throws) for a low-order key; both count as "no shared secret".
 */
export interface X25519 {
  publicOf(secret: Uint8Array): Uint8Array;
  shared(secret: Uint8Array, publicKey: Uint8Array): Uint8Array;
  /** A fresh key pair, where the implementation makes one faster than publicOf(random bytes). */
  generate?(): { secretKey: Uint8Array; publicKey: Uint8Array };
}

export const naclX25519: X25519 = { publicOf: (s) => nacl.scalarMult.base(s), shared: (s, p) => nacl.scalarMult(s, p) };

function sharedOrNull(dh: X25519, secret: Uint8Array, publicKey: Uint8Array): Uint8Array | null {
  let shared: Uint8Array;
  try {
    shared = dh.shared(secret, publicKey);
  } catch {
    return null;
  }
  return shared.length === KEY && !isZero(shared) ? shared : null;
}

/**
 * Seals `payload` to the given x25519 recipients (carriageRecipient of each relay key). Recipients that
 * repeat or are of low order (no shared secret) are left out; throws CarriageSealError if none is left.
 */
export function sealCarriage(payload: Uint8Array, recipients: readonly Uint8Array[], dh: X25519 = naclX25519, random: (n: number) => Uint8Array = nacl.randomBytes): Uint8Array {
  const ephSecret = dh.generate ? undefined : random(KEY);
  const eph = ephSecret ? { secretKey: ephSecret, publicKey: dh.publicOf(ephSecret) } : dh.generate!();
  const contentKey = random(KEY);
  const wraps: Uint8Array[] = [];
  const seen = new Set<string>();
  for (const r of recipients) {
    const id = r.join(',');
    if (r.length !== KEY || seen.has(id)) continue;
    seen.add(id);
    const shared = sharedOrNull(dh, eph.secretKey, r);
    if (!shared) continue;
    wraps.push(secretbox(contentKey, ZERO_NONCE, wrapKey(shared, eph.publicKey, r)));
  }
  if (wraps.length === 0) throw new CarriageSealError('no-recipients', 'no usable relay key to seal to');
  if (wraps.length > MAX_CARRIAGE_RECIPIENTS) throw new CarriageSealError('too-many-recipients', `${wraps.length} relay keys, at most ${MAX_CARRIAGE_RECIPIENTS}`);
  const header = concatBytes(MAGIC, new Uint8Array([VERSION]), eph.publicKey, new Uint8Array([wraps.length]), ...wraps);
  return concatBytes(header, secretbox(payload, boxNonce(header), contentKey));
}

export type OpenedCarriage =
  | { ok: true; payload: Uint8Array }
  /** malformed: not this layout; not-for-us: no wrap opens with this key; tampered: a wrap opens, the box does not. */
  | { ok: false; reason: 'malformed' | 'not-for-us' | 'tampered' };

/** Opens a sealed payload with this relay's key. Total: any bytes give a result, never a throw. */
export function openCarriage(sealed: Uint8Array, opener: CarriageOpener, dh: X25519 = naclX25519): OpenedCarriage {
  if (!isSealedCarriage(sealed) || sealed.length < HEAD || sealed[MAGIC.length] !== VERSION) return { ok: false, reason: 'malformed' };
  const eph = sealed.subarray(MAGIC.length + 1, MAGIC.length + 1 + KEY);
  const n = sealed[HEAD - 1];
  const boxAt = HEAD + n * WRAP;
  if (n === 0 || n > MAX_CARRIAGE_RECIPIENTS || sealed.length < boxAt + SECRETBOX_OVERHEAD) return { ok: false, reason: 'malformed' };
  const shared = sharedOrNull(dh, opener.secret, eph);
  if (!shared) return { ok: false, reason: 'not-for-us' };
  const k = wrapKey(shared, eph, opener.public);
  let contentKey: Uint8Array | null = null;
  for (let i = 0; i < n && !contentKey; i++) contentKey = secretboxOpen(sealed.subarray(HEAD + i * WRAP, HEAD + (i + 1) * WRAP), ZERO_NONCE, k);
  if (!contentKey || contentKey.length !== KEY) return { ok: false, reason: 'not-for-us' };
  const payload = secretboxOpen(sealed.subarray(boxAt), boxNonce(sealed.subarray(0, boxAt)), contentKey);
  return payload ? { ok: true, payload } : { ok: false, reason: 'tampered' };
}
