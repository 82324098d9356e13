import { createPrivateKey, sign as nodeSign, type KeyObject } from 'node:crypto';
import nacl from 'tweetnacl';
import { useSignatureCheck } from '../../../src/core/crypto/sign.ts';
import { nodeSignatureCheck } from '../../../relay/ed25519.ts';

/** DER prefix of an ed25519 PKCS#8 private key before the 32-byte seed (RFC 8410). */
const PKCS8_ED25519 = Buffer.from('302e020100300506032b657004220420', 'hex');

type Detached = typeof nacl.sign.detached;
type Before = typeof nacl.box.before;

/**
 * Makes the crypto of a simulation cheap without changing a byte of it: on a loaded CI machine tweetnacl
 * takes ~30 ms per ed25519 signature, and a simulated community signs thousands of envelopes.
 * - ed25519 signatures are deterministic, so node:crypto's are the very bytes tweetnacl would produce
 *   (checked here on every install);
 * - checks go through node:crypto (useSignatureCheck, as the relay does);
 * - nacl.box's shared key (an X25519 product) is remembered per key pair: same value, computed once.
 * Returns the function that restores tweetnacl. Unit files share a worker: always restore (afterAll).
 */
export function useFastCrypto(): () => void {
  const detached: Detached = nacl.sign.detached;
  const before: Before = nacl.box.before;
  const keys = new Map<string, KeyObject>();
  const shared = new Map<string, Uint8Array>();
  const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
  const fast = (msg: Uint8Array, secretKey: Uint8Array): Uint8Array => {
    const seed = secretKey.subarray(0, 32);
    const id = hex(secretKey);
    let k = keys.get(id);
    if (!k) keys.set(id, (k = createPrivateKey({ key: Buffer.concat([PKCS8_ED25519, seed]), format: 'der', type: 'pkcs8' })));
    return new Uint8Array(nodeSign(null, msg, k));
  };
  const probe = nacl.sign.keyPair();
  const msg = new TextEncoder().encode('solarpunk-mesh fast-crypto probe');
  if (hex(fast(msg, probe.secretKey)) !== hex(detached(msg, probe.secretKey))) throw new Error('node:crypto ed25519 differs from tweetnacl');
  const patched = nacl as unknown as { sign: { detached: unknown }; box: { before: unknown } };
  patched.sign.detached = Object.assign(fast, { verify: detached.verify });
  patched.box.before = (publicKey: Uint8Array, secretKey: Uint8Array): Uint8Array => {
    const id = hex(publicKey) + hex(secretKey);
    let k = shared.get(id);
    if (!k) shared.set(id, (k = before(publicKey, secretKey)));
    return k.slice();
  };
  useSignatureCheck(nodeSignatureCheck());
  return () => {
    patched.sign.detached = detached;
    patched.box.before = before;
    useSignatureCheck(undefined);
  };
}
