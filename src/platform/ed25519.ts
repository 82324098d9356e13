import nacl from 'tweetnacl';
import type { AsyncSignatureCheck } from '../core/crypto/sign.ts';

/** Imported public keys, reused: a community's authors fit many times over. */
const MAX_KEYS = 5_000;

/**
 * The browser's own ed25519 (WebCrypto), when it has one: ~0.1 ms a check in Chromium against ~15 ms
 * for tweetnacl, which made a phone joining a community of 10,000 offers spend minutes verifying them.
 * Resolves undefined where WebCrypto lacks Ed25519 or disagrees with tweetnacl on a fresh signature
 * (then everything stays with tweetnacl).
 */
export async function webCryptoSignatureCheck(): Promise<AsyncSignatureCheck | undefined> {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) return undefined;
  const keys = new Map<string, Promise<CryptoKey>>();
  const keyOf = (pk: Uint8Array): Promise<CryptoKey> => {
    const id = String.fromCharCode(...pk);
    let k = keys.get(id);
    if (!k) {
      if (keys.size >= MAX_KEYS) keys.delete(keys.keys().next().value!);
      k = subtle.importKey('raw', pk as BufferSource, { name: 'Ed25519' }, false, ['verify']);
      keys.set(id, k);
    }
    return k;
  };
  const check: AsyncSignatureCheck = async (message, signature, publicKey) => {
    try {
      return await subtle.verify({ name: 'Ed25519' }, await keyOf(publicKey), signature as BufferSource, message as BufferSource);
    } catch {
      return false;
    }
  };
  try {
    const probe = nacl.sign.keyPair();
    const msg = new TextEncoder().encode('solarpunk-mesh ed25519 probe');
    const sig = nacl.sign.detached(msg, probe.secretKey);
    const bad = Uint8Array.from(sig);
    bad[0] ^= 1;
    if ((await check(msg, sig, probe.publicKey)) && !(await check(msg, bad, probe.publicKey))) return check;
  } catch {
    // no Ed25519 here
  }
  return undefined;
}
