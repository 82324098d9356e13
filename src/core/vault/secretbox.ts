import { secretbox, secretboxOpen, SECRETBOX_KEY_BYTES, SECRETBOX_NONCE_BYTES, SECRETBOX_OVERHEAD } from '../crypto/secretbox.ts';
import { randomBytes } from '../crypto/keys.ts';
import { utf8 } from '../crypto/encoding.ts';
import { concatBytes } from '../crypto/bytes.ts';
import { VaultError, type Random } from './errors.ts';

const NONCE = SECRETBOX_NONCE_BYTES;
const MAC = SECRETBOX_OVERHEAD;

function checkKey(key: Uint8Array): void {
  if (!(key instanceof Uint8Array) || key.length !== SECRETBOX_KEY_BYTES) throw new VaultError('wrong-key', 'a data key is 32 bytes');
}

/** nonce ‖ secretbox(bytes). A fresh random nonce each time: 24 bytes make collisions negligible. */
export function sealBytes(key: Uint8Array, bytes: Uint8Array, random: Random = randomBytes): Uint8Array {
  checkKey(key);
  const nonce = random(NONCE);
  return concatBytes(nonce, secretbox(bytes, nonce, key));
}

/** The bytes sealed by sealBytes under this key; 'malformed' if too short, 'tampered' if altered or another key. */
export function openBytes(key: Uint8Array, sealed: Uint8Array): Uint8Array {
  checkKey(key);
  if (!(sealed instanceof Uint8Array) || sealed.length < NONCE + MAC) throw new VaultError('malformed', 'sealed value too short');
  const opened = secretboxOpen(sealed.subarray(NONCE), sealed.subarray(0, NONCE), key);
  if (!opened) throw new VaultError('tampered', 'sealed value does not open with this key');
  return opened;
}

/** For sealed fields of the phone's local tables: any JSON value, sealed. */
export function sealJson(key: Uint8Array, value: unknown, random: Random = randomBytes): Uint8Array {
  const text = JSON.stringify(value);
  if (text === undefined) throw new VaultError('malformed', 'value has no JSON form');
  return sealBytes(key, utf8.encode(text), random);
}

/** The JSON value sealed by sealJson; the caller still validates its shape. */
export function openJson(key: Uint8Array, sealed: Uint8Array): unknown {
  const bytes = openBytes(key, sealed);
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    throw new VaultError('malformed', 'sealed value is not JSON');
  }
}
