import { secretbox, secretboxOpen, SECRETBOX_NONCE_BYTES } from '../crypto/secretbox.ts';
import { canonicalJson } from '../crypto/canonical.ts';
import { toBase64Url, utf8 } from '../crypto/encoding.ts';
import { randomBytes } from '../crypto/keys.ts';
import { verifyRecord } from '../crypto/sign.ts';
import { AudienceInputError } from './errors.ts';
import type { Random } from './key.ts';
import { currentKey, keysToTry } from './keyring.ts';
import { asObject, bytesOf, isEpoch } from './shape.ts';
import { SEALED_AUDIENCES, type SealedAudience, type EpochKey, type Keyring, type SealedRecord } from './types.ts';

/**
 * Sign-then-seal: the author's signature travels INSIDE the box. A relay, a bridge or anyone outside
 * the audience sees only {audience, epoch, nonce, box} — not who wrote it, nor which posts share an
 * author (a signature outside would name the author's key on every sealed post, a list of who is active
 * for whoever reads a relay's disk). What is lost: a relay cannot check a sealed record's author; it
 * never could judge the content anyway, and every reader checks the signature after opening.
 */

/** Plaintexts are padded (JSON ignores trailing spaces) to a power of two, at least this many bytes. */
export const SEAL_PAD_MIN = 512;
/** Larger plaintexts are refused: a sealed record is a post, not a file. */
export const SEAL_MAX_BYTES = 64 * 1024;

function padded(text: string): Uint8Array {
  const raw = utf8.encode(text);
  let size = SEAL_PAD_MIN;
  while (size < raw.length) size *= 2;
  const out = new Uint8Array(size).fill(0x20);
  out.set(raw);
  return out;
}

/** Seal a signed record for `audience` under `key` (normally currentKey of the audience's keyring). */
export function sealWith(record: object, audience: SealedAudience, key: EpochKey, random: Random = randomBytes): SealedRecord {
  if (asObject(record) === null || typeof (record as { sig?: unknown }).sig !== 'string') throw new AudienceInputError('bad-record', 'only a signed record can be sealed');
  const text = canonicalJson({ audience, record });
  if (utf8.encode(text).length > SEAL_MAX_BYTES) throw new AudienceInputError('bad-record', `a sealed record holds at most ${SEAL_MAX_BYTES} bytes`);
  const nonce = random(SECRETBOX_NONCE_BYTES);
  return { audience, epoch: key.epoch, nonce: toBase64Url(nonce), box: toBase64Url(secretbox(padded(text), nonce, key.key)) };
}

/** Seal with the audience's current key; AudienceInputError('no-key') when this phone holds none yet. */
export function seal(record: object, audience: SealedAudience, keyring: Keyring, random: Random = randomBytes): SealedRecord {
  const key = currentKey(keyring);
  if (!key) throw new AudienceInputError('no-key', `no ${audience} key on this phone yet`);
  return sealWith(record, audience, key, random);
}

export type OpenFailure = 'malformed' | 'no-key' | 'cannot-decrypt' | 'malformed-plaintext' | 'wrong-audience' | 'forged-signature';
/** `key`: the one of the epoch's keys that opened it (a phone remembers which, to know it may still read it). */
export type Opened<T> = { ok: true; record: T; epoch: number; key: Uint8Array } | { ok: false; reason: OpenFailure };

export function isSealedShape(v: unknown): v is SealedRecord {
  const o = asObject(v);
  return !!o && SEALED_AUDIENCES.includes(o.audience as SealedAudience) && isEpoch(o.epoch) && bytesOf(o.nonce, SECRETBOX_NONCE_BYTES) !== null && bytesOf(o.box) !== null;
}

/**
 * Open a sealed record with the keys of its epoch and check the author's signature inside. The audience
 * inside must be the one outside, so a box cannot be relabelled. Total: never throws on any input.
 */
export function open<T = unknown>(sealed: unknown, keyring: Keyring, verify: (r: unknown) => boolean = verifyRecord): Opened<T> {
  if (!isSealedShape(sealed)) return { ok: false, reason: 'malformed' };
  const keys = keysToTry(keyring, sealed.epoch);
  if (keys.length === 0) return { ok: false, reason: 'no-key' };
  const nonce = bytesOf(sealed.nonce)!;
  const box = bytesOf(sealed.box)!;
  for (const k of keys) {
    const bytes = secretboxOpen(box, nonce, k);
    if (!bytes) continue;
    let inner: unknown;
    try {
      inner = JSON.parse(utf8.decode(bytes));
    } catch {
      return { ok: false, reason: 'malformed-plaintext' };
    }
    const o = asObject(inner);
    if (!o || asObject(o.record) === null) return { ok: false, reason: 'malformed-plaintext' };
    if (o.audience !== sealed.audience) return { ok: false, reason: 'wrong-audience' };
    if (!verify(o.record)) return { ok: false, reason: 'forged-signature' };
    return { ok: true, record: o.record as T, epoch: sealed.epoch, key: k };
  }
  return { ok: false, reason: 'cannot-decrypt' };
}

/**
 * Re-seal records under the keyring's current key (after a rotation): same signed contents, new epoch
 * and nonce. Records this ring cannot open are returned in `kept` unchanged, never dropped.
 */
export function resealAll(sealed: readonly SealedRecord[], keyring: Keyring, random: Random = randomBytes, verify: (r: unknown) => boolean = verifyRecord): { resealed: SealedRecord[]; kept: SealedRecord[] } {
  const key = currentKey(keyring);
  if (!key) throw new AudienceInputError('no-key', 'no key to re-seal with');
  const resealed: SealedRecord[] = [];
  const kept: SealedRecord[] = [];
  for (const s of sealed) {
    const o = open<object>(s, keyring, verify);
    if (o.ok) resealed.push(sealWith(o.record, s.audience, key, random));
    else kept.push(s);
  }
  return { resealed, kept };
}

/**
 * Records not sealed under the current key that this ring can open, re-sealed under it (by index into
 * `sealed`). A steward runs this after a rotation and whenever records arrive late under an older or a
 * losing concurrent key, so a member who lost entitlement cannot read them, and nobody entitled needs
 * anything but the current chain. Records it cannot open are left alone.
 */
export function resealOutdated(sealed: readonly unknown[], keyring: Keyring, random: Random = randomBytes, verify: (r: unknown) => boolean = verifyRecord): Map<number, SealedRecord> {
  const key = currentKey(keyring);
  const out = new Map<number, SealedRecord>();
  if (!key) return out;
  const current: Keyring = new Map([[key.epoch, [key.key]]]);
  sealed.forEach((s, i) => {
    if (!isSealedShape(s) || open(s, current, verify).ok) return;
    const o = open<object>(s, keyring, verify);
    if (o.ok) out.set(i, sealWith(o.record, s.audience, key, random));
  });
  return out;
}
