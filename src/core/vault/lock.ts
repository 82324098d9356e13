import { SECRETBOX_NONCE_BYTES, SECRETBOX_OVERHEAD } from '../crypto/secretbox.ts';
import { randomBytes } from '../crypto/keys.ts';
import { fromBase64Url, toBase64Url } from '../crypto/encoding.ts';
import { equalBytes } from '../crypto/bytes.ts';
import { VaultError, type Random } from './errors.ts';
import { KEY_BYTES, SALT_BYTES, checkParams, deriveKey, subkey, type ScryptParams } from './kdf.ts';
import { openBytes, sealBytes } from './secretbox.ts';

/**
 * A PIN lock, stored in the clear next to the encrypted data. It holds the data key (DEK) wrapped
 * under a key derived from the PIN, and a verifier for the duress PIN.
 *
 * `duress` is always present: with no duress PIN it is random bytes of the same length, so the
 * record does not tell whether a duress PIN exists. The verifier is derived from the duress PIN
 * alone, so it says nothing about the real PIN (it is, though, one more target for offline guessing
 * at the same scrypt cost).
 */
export interface PinLockRecord {
  v: 1;
  kind: 'pin';
  scrypt: ScryptParams;
  salt: string;
  /** nonce ‖ secretbox(DEK) under subkey(pinKey, WRAP): 72 bytes, base64url. */
  wrapped: string;
  /** subkey(duressKey, DURESS): 32 bytes, base64url. */
  duress: string;
}

/**
 * For people who skip the PIN: the DEK wrapped under a random device key that the platform keeps
 * in the same browser storage. Weak: anyone who can read the storage can read the data. What it still
 * gives is a fast wipe (destroy the device key and the encrypted data is noise even if deleting the
 * databases is interrupted) and no plaintext in backups of the storage that miss the device key.
 */
export interface DeviceLockRecord {
  v: 1;
  kind: 'device';
  wrapped: string;
}

export type LockRecord = PinLockRecord | DeviceLockRecord;

export type UnlockResult =
  | { kind: 'real'; dek: Uint8Array }
  /**
   * The duress PIN. `shredded` must be written over the stored record at once (keys first), before
   * the real databases are deleted: its wrapped DEK is random bytes, so the real PIN can never open
   * it again. `decoyDek` is a stable key derived from the duress PIN for the decoy's own storage.
   */
  | { kind: 'duress'; shredded: PinLockRecord; decoyDek: Uint8Array }
  | { kind: 'wrong' };

const WRAP = 'spm/vault/wrap/v1';
const DURESS = 'spm/vault/duress-verifier/v1';
const DECOY = 'spm/vault/decoy-dek/v1';
const WRAPPED_BYTES = SECRETBOX_NONCE_BYTES + KEY_BYTES + SECRETBOX_OVERHEAD;

function checkPin(pin: string, what: string): void {
  if (typeof pin !== 'string' || pin.normalize('NFKC').length < 4) throw new VaultError('malformed', `${what} must be at least 4 characters`);
}

/** A new random DEK, locked under `pin` (and `duressPin`, if any). */
export async function setupLock(pin: string, duressPin: string | null, params: ScryptParams, random: Random = randomBytes): Promise<{ record: PinLockRecord; dek: Uint8Array }> {
  const dek = random(KEY_BYTES);
  return { record: await changePin(dek, pin, duressPin, params, random), dek };
}

/**
 * Re-wraps an unlocked DEK under a new PIN with a fresh salt; the data itself is not re-encrypted.
 * The UI asks for the current PIN through `unlock` first, so that a duress PIN entered there still
 * shreds. The duress PIN must be given again because its verifier depends on the new salt.
 */
export async function changePin(dek: Uint8Array, pin: string, duressPin: string | null, params: ScryptParams, random: Random = randomBytes): Promise<PinLockRecord> {
  checkPin(pin, 'PIN');
  if (duressPin !== null) checkPin(duressPin, 'duress PIN');
  if (duressPin !== null && duressPin.normalize('NFKC') === pin.normalize('NFKC')) throw new VaultError('malformed', 'the duress PIN must differ from the PIN');
  if (dek.length !== KEY_BYTES) throw new VaultError('wrong-key', 'a data key is 32 bytes');
  const scrypt = checkParams(params);
  const salt = random(SALT_BYTES);
  const key = await deriveKey(pin, salt, scrypt);
  const duress = duressPin === null ? random(KEY_BYTES) : subkey(await deriveKey(duressPin, salt, scrypt), DURESS);
  return { v: 1, kind: 'pin', scrypt, salt: toBase64Url(salt), wrapped: toBase64Url(sealBytes(subkey(key, WRAP), dek, random)), duress: toBase64Url(duress) };
}

/** The decoy key a duress PIN opens (the same `decoyDek` unlock returns for it): one more scrypt. */
export async function decoyKeyOf(record: PinLockRecord, duressPin: string): Promise<Uint8Array> {
  checkPin(duressPin, 'duress PIN');
  return subkey(await deriveKey(duressPin, fromBase64Url(record.salt), checkParams(record.scrypt)), DECOY);
}

/**
 * One scrypt derivation per attempt, then both checks always run, so a real, a duress and a wrong
 * PIN cost the same time. Throws VaultError('malformed' | 'bad-params') only for a corrupted record.
 */
export async function unlock(record: PinLockRecord, pin: string, random: Random = randomBytes): Promise<UnlockResult> {
  const r = parseLockRecord(record);
  if (r.kind !== 'pin') throw new VaultError('malformed', 'not a PIN lock record');
  const key = await deriveKey(typeof pin === 'string' ? pin : '', fromBase64Url(r.salt), r.scrypt);
  const dek = tryOpen(subkey(key, WRAP), fromBase64Url(r.wrapped));
  const isDuress = equalBytes(subkey(key, DURESS), fromBase64Url(r.duress));
  if (dek) return { kind: 'real', dek };
  if (isDuress) return { kind: 'duress', shredded: { ...r, wrapped: toBase64Url(random(WRAPPED_BYTES)) }, decoyDek: subkey(key, DECOY) };
  return { kind: 'wrong' };
}

function tryOpen(key: Uint8Array, sealed: Uint8Array): Uint8Array | null {
  try {
    return openBytes(key, sealed);
  } catch {
    return null;
  }
}

/** A DEK under a random device key: see DeviceLockRecord for how little this protects. */
export function noLock(random: Random = randomBytes): { record: DeviceLockRecord; deviceKey: Uint8Array; dek: Uint8Array } {
  const deviceKey = random(KEY_BYTES);
  const dek = random(KEY_BYTES);
  return { record: { v: 1, kind: 'device', wrapped: toBase64Url(sealBytes(subkey(deviceKey, WRAP), dek, random)) }, deviceKey, dek };
}

export function openDeviceLock(record: DeviceLockRecord, deviceKey: Uint8Array): Uint8Array {
  const r = parseLockRecord(record);
  if (r.kind !== 'device') throw new VaultError('malformed', 'not a device lock record');
  if (!(deviceKey instanceof Uint8Array) || deviceKey.length !== KEY_BYTES) throw new VaultError('wrong-key', 'a device key is 32 bytes');
  const dek = tryOpen(subkey(deviceKey, WRAP), fromBase64Url(r.wrapped));
  if (!dek) throw new VaultError('wrong-key', 'this device key does not open the data key');
  return dek;
}

function b64(value: unknown, bytes: number): string {
  if (typeof value !== 'string') throw new VaultError('malformed', 'lock record field missing');
  let decoded: Uint8Array;
  try {
    decoded = fromBase64Url(value);
  } catch {
    throw new VaultError('malformed', 'lock record field is not base64url');
  }
  if (decoded.length !== bytes) throw new VaultError('malformed', 'lock record field has the wrong length');
  return value;
}

/** A lock record read back from storage, checked field by field; VaultError otherwise. */
export function parseLockRecord(json: unknown): LockRecord {
  const o = json as Record<string, unknown> | null;
  if (typeof o !== 'object' || o === null || o.v !== 1) throw new VaultError('malformed', 'not a lock record');
  if (o.kind === 'device') return { v: 1, kind: 'device', wrapped: b64(o.wrapped, WRAPPED_BYTES) };
  if (o.kind !== 'pin') throw new VaultError('malformed', 'unknown lock kind');
  return { v: 1, kind: 'pin', scrypt: checkParams(o.scrypt), salt: b64(o.salt, SALT_BYTES), wrapped: b64(o.wrapped, WRAPPED_BYTES), duress: b64(o.duress, KEY_BYTES) };
}
