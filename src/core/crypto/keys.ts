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
  const sign = nacl.sign.keyPair.fromSecretKey(fromBase64Url(stored.signSecretKey));
  const boxSecretKey = fromBase64Url(stored.boxSecretKey);
  let boxPublicKey: Uint8Array | undefined;
  return {
    agentId: toBase64Url(sign.publicKey),
    signPublicKey: sign.publicKey,
    signSecretKey: sign.secretKey,
    boxSecretKey,
    // Derived on first use: an x25519 base multiplication costs about 50 ms at 4x CPU throttle, on a
    // phone's start just before its list paints, and nothing there needs it (bench/lib/profile-cold-start.ts).
    get boxPublicKey() {
      return (boxPublicKey ??= nacl.box.keyPair.fromSecretKey(boxSecretKey).publicKey);
    },
  };
}

export function randomBytes(n: number): Uint8Array {
  return nacl.randomBytes(n);
}
