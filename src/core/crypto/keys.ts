import nacl from 'tweetnacl';
import { fromBase64Url, toBase64Url } from './encoding.ts';

/** A person: ed25519 signing pair (their agent id) plus an x25519 box pair for sealed messages. */
export interface Identity {
  agentId: string;
  signPublicKey: Uint8Array;
  signSecretKey: Uint8Array;
  boxPublicKey: Uint8Array;
  boxSecretKey: Uint8Array;
}

export function createIdentity(): Identity {
  const sign = nacl.sign.keyPair();
  const box = nacl.box.keyPair();
  return {
    agentId: toBase64Url(sign.publicKey),
    signPublicKey: sign.publicKey,
    signSecretKey: sign.secretKey,
    boxPublicKey: box.publicKey,
    boxSecretKey: box.secretKey,
  };
}

/** Serialisable form, for device storage (encrypted at rest by the platform layer). */
export interface StoredIdentity {
  signSecretKey: string;
  boxSecretKey: string;
}

export function exportIdentity(id: Identity): StoredIdentity {
  return { signSecretKey: toBase64Url(id.signSecretKey), boxSecretKey: toBase64Url(id.boxSecretKey) };
}

export function importIdentity(stored: StoredIdentity): Identity {
  const sign = nacl.sign.keyPair.fromSecretKey(fromBase64Url(stored.signSecretKey));
  const box = nacl.box.keyPair.fromSecretKey(fromBase64Url(stored.boxSecretKey));
  return {
    agentId: toBase64Url(sign.publicKey),
    signPublicKey: sign.publicKey,
    signSecretKey: sign.secretKey,
    boxPublicKey: box.publicKey,
    boxSecretKey: box.secretKey,
  };
}

export function randomBytes(n: number): Uint8Array {
  return nacl.randomBytes(n);
}
