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

function identityOf(sign: nacl.SignKeyPair, box: nacl.BoxKeyPair): Identity {
  return {
    agentId: toBase64Url(sign.publicKey),
    signPublicKey: sign.publicKey,
    signSecretKey: sign.secretKey,
    boxPublicKey: box.publicKey,
    boxSecretKey: box.secretKey,
  };
}

export function createIdentity(): Identity {
  return identityOf(nacl.sign.keyPair(), nacl.box.keyPair());
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
  return identityOf(nacl.sign.keyPair.fromSecretKey(fromBase64Url(stored.signSecretKey)), nacl.box.keyPair.fromSecretKey(fromBase64Url(stored.boxSecretKey)));
}

export function randomBytes(n: number): Uint8Array {
  return nacl.randomBytes(n);
}
