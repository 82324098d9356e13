import { createPrivateKey, createPublicKey, diffieHellman, type KeyObject } from 'node:crypto';
import type { X25519 } from '../src/core/sync/sealed-carriage.ts';

/** DER prefixes of X25519 keys (RFC 8410) before the 32 raw key bytes. */
const PKCS8_X25519 = Buffer.from('302e020100300506032b656e04220420', 'hex');
const SPKI_X25519 = Buffer.from('302a300506032b656e032100', 'hex');
/** Public key objects kept for reuse (relays lists are short; ephemeral keys are not kept). */
const MAX_KEYS = 1024;

/**
 * x25519 with node:crypto (OpenSSL) for sealed carriage: tweetnacl's takes milliseconds per step, and a
 * relay seals every change-set it emits and opens every one it receives. Same results as tweetnacl
 * (property-tested); OpenSSL refuses an all-zero result (a low-order key), which sealed carriage treats
 * like tweetnacl's zero bytes: no shared secret.
 */
export function nodeX25519(): X25519 {
  const publics = new Map<string, KeyObject>();
  const publicKey = (raw: Uint8Array): KeyObject => {
    const id = Buffer.from(raw).toString('hex');
    let k = publics.get(id);
    if (!k) {
      k = createPublicKey({ key: Buffer.concat([SPKI_X25519, raw]), format: 'der', type: 'spki' });
      if (publics.size >= MAX_KEYS) publics.clear();
      publics.set(id, k);
    }
    return k;
  };
  // The relay's own key and the ephemeral key of the seal under way (used once per recipient).
  const privates = new Map<string, KeyObject>();
  const privateKey = (raw: Uint8Array): KeyObject => {
    const id = Buffer.from(raw).toString('hex');
    let k = privates.get(id);
    if (!k) {
      k = createPrivateKey({ key: Buffer.concat([PKCS8_X25519, raw]), format: 'der', type: 'pkcs8' });
      if (privates.size >= 4) privates.delete(privates.keys().next().value!);
      privates.set(id, k);
    }
    return k;
  };
  return {
    publicOf: (secret) => new Uint8Array(createPublicKey(privateKey(secret)).export({ format: 'der', type: 'spki' }).subarray(SPKI_X25519.length)),
    shared: (secret, pub) => new Uint8Array(diffieHellman({ privateKey: privateKey(secret), publicKey: publicKey(pub) })),
  };
}
