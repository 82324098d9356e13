import { hmac } from '@noble/hashes/hmac.js';
import { scryptAsync } from '@noble/hashes/scrypt.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { utf8 } from '../crypto/encoding.ts';
import { VaultError } from './errors.ts';

export interface ScryptParams {
  N: number;
  r: number;
  p: number;
}

/**
 * Default cost for a PIN on a phone: 32 MiB of memory (128·r·N bytes). bench/vault.ts measured 0.45 s
 * (sync) to 0.55 s (async) in Node on a shared, busy 2-core machine; half that N took 0.2–0.25 s.
 * A phone's browser runs this pure-JS scrypt a few times slower than Node on a laptop, hence 2^15 and
 * not more. A 6-digit PIN is still only 10^6 guesses: the cost slows an attacker who has the storage,
 * it does not stop one.
 */
export const PHONE_SCRYPT: ScryptParams = { N: 2 ** 15, r: 8, p: 1 };

/**
 * Bounds on parameters read back from storage or a backup. The upper bounds stop a crafted record
 * from freezing the phone (N = 2^30 would need 128 GiB); the lower bound still lets tests run cheaply.
 */
export const SCRYPT_BOUNDS = { minLogN: 10, maxLogN: 20, maxR: 16, maxP: 4, maxMemBytes: 256 * 2 ** 20 } as const;

export const KEY_BYTES = 32;
export const SALT_BYTES = 16;

export function checkParams(value: unknown): ScryptParams {
  const v = value as Partial<ScryptParams> | null;
  if (typeof v !== 'object' || v === null) throw new VaultError('bad-params', 'scrypt parameters missing');
  const { N, r, p } = v;
  const isInt = (x: unknown): x is number => typeof x === 'number' && Number.isInteger(x);
  if (!isInt(N) || !isInt(r) || !isInt(p)) throw new VaultError('bad-params', 'scrypt parameters must be integers');
  const logN = Math.log2(N);
  if (!Number.isInteger(logN) || logN < SCRYPT_BOUNDS.minLogN || logN > SCRYPT_BOUNDS.maxLogN)
    throw new VaultError('bad-params', `scrypt N must be a power of two in 2^${SCRYPT_BOUNDS.minLogN}..2^${SCRYPT_BOUNDS.maxLogN}`);
  if (r < 1 || r > SCRYPT_BOUNDS.maxR) throw new VaultError('bad-params', `scrypt r must be 1..${SCRYPT_BOUNDS.maxR}`);
  if (p < 1 || p > SCRYPT_BOUNDS.maxP) throw new VaultError('bad-params', `scrypt p must be 1..${SCRYPT_BOUNDS.maxP}`);
  if (128 * r * N > SCRYPT_BOUNDS.maxMemBytes) throw new VaultError('bad-params', 'scrypt parameters need more than 256 MiB');
  return { N, r, p };
}

/**
 * A 32-byte key from a PIN or passphrase. NFKC so that the same PIN typed on a keyboard with
 * full-width digits (or composed differently) derives the same key. Async so a UI can keep painting.
 */
export async function deriveKey(pin: string, salt: Uint8Array, params: ScryptParams): Promise<Uint8Array> {
  const { N, r, p } = checkParams(params);
  if (salt.length < SALT_BYTES) throw new VaultError('bad-params', `salt must be at least ${SALT_BYTES} bytes`);
  return scryptAsync(utf8.encode(pin.normalize('NFKC')), salt, { N, r, p, dkLen: KEY_BYTES });
}

/** Independent keys for independent jobs from one key (HMAC-SHA256 with a fixed label). */
export function subkey(key: Uint8Array, label: string): Uint8Array {
  return hmac(sha256, key, utf8.encode(label));
}
