import type { AsyncSignatureCheck } from '../core/crypto/sign.ts';

const hex = (h: string): Uint8Array => Uint8Array.from(h.match(/../g)!, (b) => parseInt(b, 16));

/**
 * RFC 8032 §7.1, test 2: a known-good signature to probe WebCrypto with. A fresh tweetnacl key pair and
 * signature did the same but cost a newcomer about 90 ms at 4× CPU slowdown on the way to the first screen.
 */
const PROBE = {
  publicKey: hex('3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c'),
  message: hex('72'),
  signature: hex('92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00'),
};

/** Imported public keys, reused: a community's authors fit many times over. */
const MAX_KEYS = 5_000;

/**
 * The browser's own ed25519 (WebCrypto), when it has one: ~0.1 ms a check in Chromium against ~15 ms
 * for tweetnacl, which made a phone joining a community of 10,000 offers spend minutes verifying them.
 * Resolves undefined where WebCrypto lacks Ed25519 or disagrees with RFC 8032's test vector (then
 * everything stays with tweetnacl).
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
    const bad = Uint8Array.from(PROBE.signature);
    bad[0] ^= 1;
    if ((await check(PROBE.message, PROBE.signature, PROBE.publicKey)) && !(await check(PROBE.message, bad, PROBE.publicKey))) return check;
  } catch {
    // no Ed25519 here
  }
  return undefined;
}
