import nacl from 'tweetnacl';

/**
 * NaCl secretbox (XSalsa20-Poly1305): the one place the app seals and opens with it (posts, vault values
 * and index rows, files, sanctuary entries, carriage). tweetnacl's, deliberately: @noble/ciphers' was
 * tried and measured slower on boxes of a post's size (~190 against ~155 µs a 528-byte box in Node 20,
 * bench/audience.ts, 2026-12-05) and added 5.9 KB gzip to the app. Opening never throws.
 */

export const SECRETBOX_KEY_BYTES = nacl.secretbox.keyLength;
export const SECRETBOX_NONCE_BYTES = nacl.secretbox.nonceLength;
/** What sealing adds: the Poly1305 tag. */
export const SECRETBOX_OVERHEAD = nacl.secretbox.overheadLength;

/** tag ‖ ciphertext of `message` under `key` and `nonce` (throws on a key or nonce of the wrong length). */
export function secretbox(message: Uint8Array, nonce: Uint8Array, key: Uint8Array): Uint8Array {
  return nacl.secretbox(message, nonce, key);
}

/** The message, or null when the box was altered, is too short, or does not open with this key and nonce. */
export function secretboxOpen(box: Uint8Array, nonce: Uint8Array, key: Uint8Array): Uint8Array | null {
  if (key.length !== SECRETBOX_KEY_BYTES || nonce.length !== SECRETBOX_NONCE_BYTES || box.length < SECRETBOX_OVERHEAD) return null;
  return nacl.secretbox.open(box, nonce, key);
}
