import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import type { SignatureCheck } from '../src/core/crypto/sign.ts';

/** DER prefix of an ed25519 SubjectPublicKeyInfo (RFC 8410) before the 32 raw key bytes. */
const SPKI_ED25519 = Buffer.from('302a300506032b6570032100', 'hex');
/** Key objects kept for reuse; a community's authors fit many times over. */
const MAX_KEYS = 10_000;

/**
 * ed25519 checks with node:crypto (OpenSSL), which the relay installs instead of tweetnacl: a relay
 * reading a community of 10,000 signed offers spent minutes in tweetnacl before it could index them.
 * Same answers as tweetnacl (property-tested), including for malformed keys and signatures.
 */
export function nodeSignatureCheck(): SignatureCheck {
  const keys = new Map<string, KeyObject | null>();
  const keyOf = (pk: Uint8Array): KeyObject | null => {
    const id = Buffer.from(pk).toString('hex');
    let k = keys.get(id);
    if (k === undefined) {
      try {
        k = createPublicKey({ key: Buffer.concat([SPKI_ED25519, pk]), format: 'der', type: 'spki' });
      } catch {
        k = null;
      }
      if (keys.size >= MAX_KEYS) keys.delete(keys.keys().next().value!);
      keys.set(id, k);
    }
    return k;
  };
  return (message, signature, publicKey) => {
    if (publicKey.length !== 32 || signature.length !== 64) return false;
    const key = keyOf(publicKey);
    if (!key) return false;
    try {
      return verify(null, message, key, signature);
    } catch {
      return false;
    }
  };
}
