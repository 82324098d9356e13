import nacl from 'tweetnacl';

/**
 * NaCl secretbox (XSalsa20-Poly1305): the one place the app seals and opens with it (posts, vault values
 * and index rows, files, sanctuary entries, carriage). tweetnacl's, deliberately: @noble/ciphers' was
 * tried and measured slower on boxes of a post's size (~190 against ~155 µs a 528-byte box in Node 20,
 * bench/audience.ts, 2026-12-05) and added 5.9 KB gzip to the app. Opening never throws.
 */

/*
 * The sizes are the construction's (XSalsa20 key and nonce, Poly1305 tag), written as numbers rather than
 * read from tweetnacl: code that only needs a size (the agents' worker reaches this file through the
 * audience key's length) then leaves tweetnacl, 11 KB gzip, out of its bundle. A test holds them equal.
 */
export const SECRETBOX_KEY_BYTES = 32;
export const SECRETBOX_NONCE_BYTES = 24;
/** What sealing adds: the Poly1305 tag. */
export const SECRETBOX_OVERHEAD = 16;

/** tag ‖ ciphertext of `message` under `key` and `nonce` (throws on a key or nonce of the wrong length). */
export function secretbox(message: Uint8Array, nonce: Uint8Array, key: Uint8Array): Uint8Array {
  return nacl.secretbox(message, nonce, key);
}

/** The message, or null when the box was altered, is too short, or does not open with this key and nonce. */
export function secretboxOpen(box: Uint8Array, nonce: Uint8Array, key: Uint8Array): Uint8Array | null {
  if (key.length !== SECRETBOX_KEY_BYTES || nonce.length !== SECRETBOX_NONCE_BYTES || box.length < SECRETBOX_OVERHEAD) return null;
  return nacl.secretbox.open(box, nonce, key);
}
