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
    return nacl.sign.detached.verify(message(record), s, pk);
  } catch {
    return false;
  }
}
