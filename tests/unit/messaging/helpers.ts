import nacl from 'tweetnacl';
import { canonicalJson } from '../../../src/core/crypto/canonical.ts';
import { toBase64Url, utf8 } from '../../../src/core/crypto/encoding.ts';
import { createIdentity, type Identity } from '../../../src/core/crypto/keys.ts';
import { pad } from '../../../src/core/messaging/padding.ts';
import type { Envelope, Recipient } from '../../../src/core/messaging/index.ts';

export const alice = createIdentity();
export const bob = createIdentity();
export const carol = createIdentity();

export const recipientOf = (id: Identity): Recipient => ({ agentId: id.agentId, boxKey: toBase64Url(id.boxPublicKey) });

export const T0 = Date.UTC(2026, 10, 25, 12, 0, 0);

/** Seals any inner value the way sealMessage does, for forging tests. */
export function sealRaw(inner: unknown, to: Identity, envelopeTo = to.agentId): Envelope {
  const eph = nacl.box.keyPair();
  const nonce = nacl.randomBytes(24);
  const ct = nacl.box(pad(utf8.encode(canonicalJson(inner))), nonce, to.boxPublicKey, eph.secretKey);
  return { v: 1, to: envelopeTo, epk: toBase64Url(eph.publicKey), nonce: toBase64Url(nonce), ct: toBase64Url(ct) };
}
