/**
 * Stands in for `fast-sha256` in the phone build (vite.config.ts aliases it): automerge-repo hashes its
 * storage keys with it, and the app already ships @noble/hashes' SHA-256, so one implementation is
 * enough. Same digest, same storage keys. automerge-repo calls only `hash`.
 */
import { sha256 } from '@noble/hashes/sha2.js';

export function hash(data: Uint8Array): Uint8Array {
  return sha256(data);
}
