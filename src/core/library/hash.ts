import { sha256 } from '@noble/hashes/sha2.js';
import { toBase64Url } from '../crypto/encoding.ts';

/** A chunk's name: SHA-256 of its bytes, base64url (43 characters). Same bytes, same name, anywhere. */
export function chunkHash(bytes: Uint8Array): string {
  return toBase64Url(sha256(bytes));
}

const HASH = /^[A-Za-z0-9_-]{42}[AEIMQUYcgkosw048]$/;

/** True for the canonical spelling of a 32-byte base64url hash (the last character carries 4 bits). */
export function isChunkHash(v: unknown): v is string {
  return typeof v === 'string' && HASH.test(v);
}
