import nacl from 'tweetnacl';

/**
 * SHA-512 of `bytes`, through the one crypto library the signing code already uses, so modules that only
 * need a digest (the sync-session invite proof) depend on core/crypto rather than on a library directly.
 */
export function sha512(bytes: Uint8Array): Uint8Array {
  return nacl.hash(bytes);
}
