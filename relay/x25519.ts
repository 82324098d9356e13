import { createPrivateKey, createPublicKey, diffieHellman, generateKeyPairSync, type KeyObject } from 'node:crypto';
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
  const keep = (id: string, k: KeyObject): KeyObject => {
    if (privates.size >= 4) privates.delete(privates.keys().next().value!);
    privates.set(id, k);
    return k;
  };
  // Parsing a PKCS#8 key costs OpenSSL close to a millisecond; generating a pair a tenth of that.
  const privateKey = (raw: Uint8Array): KeyObject =>
    privates.get(Buffer.from(raw).toString('hex')) ?? keep(Buffer.from(raw).toString('hex'), createPrivateKey({ key: Buffer.concat([PKCS8_X25519, raw]), format: 'der', type: 'pkcs8' }));
  return {
    publicOf: (secret) => new Uint8Array(createPublicKey(privateKey(secret)).export({ format: 'der', type: 'spki' }).subarray(SPKI_X25519.length)),
    shared: (secret, pub) => new Uint8Array(diffieHellman({ privateKey: privateKey(secret), publicKey: publicKey(pub) })),
    generate() {
      const pair = generateKeyPairSync('x25519');
      const jwk = pair.privateKey.export({ format: 'jwk' });
      const secretKey = new Uint8Array(Buffer.from(jwk.d!, 'base64url'));
      keep(Buffer.from(secretKey).toString('hex'), pair.privateKey);
      return { secretKey, publicKey: new Uint8Array(Buffer.from(jwk.x!, 'base64url')) };
    },
  };
}
