import nacl from 'tweetnacl';
import { canonicalJson } from './canonical.ts';
import { fromBase64Url, toBase64Url, utf8 } from './encoding.ts';

/** Every record a person writes into a shared document carries its author and a signature. */
export interface Signed {
  author: string;
  sig: string;
}

export type Unsigned<T extends Signed> = Omit<T, 'sig'>;

function message(record: object): Uint8Array {
  const { sig: _sig, ...rest } = record as Record<string, unknown>;
  return utf8.encode(canonicalJson(rest));
}

/** An ed25519 signature check over raw bytes. */
export type SignatureCheck = (message: Uint8Array, signature: Uint8Array, publicKey: Uint8Array) => boolean;

const tweetnaclCheck: SignatureCheck = (m, s, pk) => nacl.sign.detached.verify(m, s, pk);
let check: SignatureCheck = tweetnaclCheck;

/**
 * Where a platform has a native ed25519 (the relay's node:crypto checks in ~0.1 ms what tweetnacl
 * takes ~14 ms for on these machines), it installs it here; the domain code stays free of I/O and
 * platform imports. `undefined` restores tweetnacl.
 */
export function useSignatureCheck(fn: SignatureCheck | undefined): void {
  check = fn ?? tweetnaclCheck;
}

/** The canonical bytes a record's signature covers (everything but `sig`). */
export function signedBytes(record: object): Uint8Array {
  return message(record);
}

export function signRecord<T extends Signed>(record: Unsigned<T>, signSecretKey: Uint8Array): T {
  const sig = nacl.sign.detached(message(record), signSecretKey);
  return { ...record, sig: toBase64Url(sig) } as T;
}

/** True only when `sig` is a valid ed25519 signature by `author` over the rest of the record. */
export function verifyRecord(record: unknown): boolean {
  if (typeof record !== 'object' || record === null) return false;
  const { author, sig } = record as Partial<Signed>;
  if (typeof author !== 'string' || typeof sig !== 'string') return false;
  try {
    const pk = fromBase64Url(author);
    const s = fromBase64Url(sig);
    if (pk.length !== nacl.sign.publicKeyLength || s.length !== nacl.sign.signatureLength) return false;
    return check(message(record), s, pk);
  } catch {
    return false;
  }
}
