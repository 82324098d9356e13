import { secretbox, secretboxOpen, SECRETBOX_KEY_BYTES, SECRETBOX_NONCE_BYTES, SECRETBOX_OVERHEAD } from '../crypto/secretbox.ts';
import { randomBytes } from '../crypto/keys.ts';

/** A file's own key and nonce: fresh for every sealed file, so no two files share a key stream. */
export interface FileSecret {
  key: Uint8Array;
  nonce: Uint8Array;
}

export const FILE_KEY_BYTES = SECRETBOX_KEY_BYTES;
export const FILE_NONCE_BYTES = SECRETBOX_NONCE_BYTES;
/** What encryption adds to a file (the Poly1305 tag). */
export const FILE_OVERHEAD = SECRETBOX_OVERHEAD;

export function newFileSecret(random: (n: number) => Uint8Array = randomBytes): FileSecret {
  return { key: random(FILE_KEY_BYTES), nonce: random(FILE_NONCE_BYTES) };
}

/**
 * The whole file in one secretbox, before it is cut into chunks: chunk hashes are then over ciphertext,
 * so a relay checks and dedupes chunks without reading them, and a reader needs the whole file anyway
 * to open it (one tag over everything refuses any chunk swapped in under a forged manifest).
 */
export function encryptFile(bytes: Uint8Array, secret: FileSecret): Uint8Array {
  return secretbox(bytes, secret.nonce, secret.key);
}

/** The plain file, or null when the ciphertext or the secret is not the one it was sealed with. */
export function decryptFile(ciphertext: Uint8Array, secret: FileSecret): Uint8Array | null {
  if (secret.key.length !== FILE_KEY_BYTES || secret.nonce.length !== FILE_NONCE_BYTES) return null;
  return secretboxOpen(ciphertext, secret.nonce, secret.key);
}
