import nacl from 'tweetnacl';
import { canonicalJson } from './canonical.ts';
import { fromBase64Url, toBase64Url, utf8 } from './encoding.ts';

/** Every record a person writes into a shared document carries its author and a signature. */
export interface Signed {
  author: string;
  sig: string;
}

export type Unsigned<T extends Signed> = Omit<T, 'sig'>;

function messageText(record: object): string {
  const { sig: _sig, ...rest } = record as Record<string, unknown>;
  return canonicalJson(rest);
}

function message(record: object): Uint8Array {
  return utf8.encode(messageText(record));
}

/**
 * Signatures already found good, each with the exact text it covers (bounded, oldest forgotten first).
 * Reading a feed again after each change re-checks every record in it; a hit costs one canonical
 * encoding instead of an ed25519 check. A record altered under a reused signature has another text.
 */
const good = new Map<string, string>();
const GOOD_MAX = 50_000;

function remember(sig: string, text: string): void {
  if (good.size >= GOOD_MAX) good.delete(good.keys().next().value!);
  good.set(sig, text);
}

/**
 * Forgets every signature found good. A phone's cache is its own; two phones in one process (tests)
 * share this one, so a test of what a newcomer's phone does with a cold cache starts here.
 */
export function forgetGoodSignatures(): void {
  good.clear();
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

/** An ed25519 signature over raw bytes (signed requests; records use signRecord). */
export function signBytes(message: Uint8Array, signSecretKey: Uint8Array): Uint8Array {
  return nacl.sign.detached(message, signSecretKey);
}

/** True only when `signature` is a valid ed25519 signature by `publicKey` over `message`; never throws. */
export function verifyBytes(message: Uint8Array, signature: Uint8Array, publicKey: Uint8Array): boolean {
  if (publicKey.length !== nacl.sign.publicKeyLength || signature.length !== nacl.sign.signatureLength) return false;
  try {
    return check(message, signature, publicKey);
  } catch {
    return false;
  }
}

export function signRecord<T extends Signed>(record: Unsigned<T>, signSecretKey: Uint8Array): T {
  const sig = nacl.sign.detached(message(record), signSecretKey);
  return { ...record, sig: toBase64Url(sig) } as T;
}

/** What checking a record's signature needs, or whether it is already known good / cannot be good. */
type Prepared = 'known-good' | 'malformed' | { sig: string; text: string; publicKey: Uint8Array; signature: Uint8Array };

function prepare(record: unknown): Prepared {
  if (typeof record !== 'object' || record === null) return 'malformed';
  const { author, sig } = record as Partial<Signed>;
  if (typeof author !== 'string' || typeof sig !== 'string') return 'malformed';
  try {
    const text = messageText(record);
    if (good.get(sig) === text) return 'known-good';
    const publicKey = fromBase64Url(author);
    const signature = fromBase64Url(sig);
    if (publicKey.length !== nacl.sign.publicKeyLength || signature.length !== nacl.sign.signatureLength) return 'malformed';
    return { sig, text, publicKey, signature };
  } catch {
    return 'malformed';
  }
}

/** True only when `sig` is a valid ed25519 signature by `author` over the rest of the record. */
export function verifyRecord(record: unknown): boolean {
  const p = prepare(record);
  if (typeof p === 'string') return p === 'known-good';
  try {
    const ok = check(utf8.encode(p.text), p.signature, p.publicKey);
    if (ok) remember(p.sig, p.text);
    return ok;
  } catch {
    return false;
  }
}

/** An ed25519 check that answers later (WebCrypto in browsers). */
export type AsyncSignatureCheck = (message: Uint8Array, signature: Uint8Array, publicKey: Uint8Array) => Promise<boolean>;

/**
 * Checks the signatures of many records at once with an asynchronous native ed25519 (WebCrypto on a
 * phone answers in ~0.1 ms what tweetnacl takes ~15 ms for), so that the synchronous verifyRecord calls
 * of the domain code that follow are cache hits. Records that fail are left to verifyRecord, which
 * then refuses them. Resolves with how many were good.
 */
export async function primeSignatures(records: Iterable<unknown>, checkAsync: AsyncSignatureCheck): Promise<number> {
  const pending: Promise<boolean>[] = [];
  for (const record of records) {
    const p = prepare(record);
    if (typeof p === 'string') continue;
    pending.push(
      checkAsync(utf8.encode(p.text), p.signature, p.publicKey).then(
        (ok) => (ok && remember(p.sig, p.text), ok),
        () => false,
      ),
    );
  }
  return (await Promise.all(pending)).filter(Boolean).length;
}

/** The records whose signatures are not known good yet and could be (how much checking a read still costs). */
export function unchecked(records: Iterable<unknown>): unknown[] {
  const out: unknown[] = [];
  for (const record of records) if (typeof prepare(record) === 'object') out.push(record);
  return out;
}
