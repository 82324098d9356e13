import { SyncPayloadError } from './errors.ts';

/** Automerge change hashes are SHA-256: 32 bytes, 64 lowercase hex digits as text. */
export const HASH_BYTES = 32;
const HEX = /^[0-9a-f]{64}$/;

export function hashToBytes(hash: string): Uint8Array {
  if (!HEX.test(hash)) throw new SyncPayloadError('bad-field', 'change hash is not 64 lowercase hex digits');
  const out = new Uint8Array(HASH_BYTES);
  for (let i = 0; i < HASH_BYTES; i++) out[i] = parseInt(hash.slice(i * 2, i * 2 + 2), 16);
  return out;
}

export function bytesToHash(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += bytes[i].toString(16).padStart(2, '0');
  return s;
}

/** Heads are a set: order carries no meaning, so compare as sets. */
export function sameHeads(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  const set = new Set(a);
  return b.every((h) => set.has(h));
}
