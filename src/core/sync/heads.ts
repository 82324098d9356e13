import * as Automerge from '@automerge/automerge/slim';
import type { AnyDoc } from './access.ts';
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

/**
 * True when the doc holds every change in `heads`: the one "already held" check of this module (the
 * emitter, the duplicate test and the applied/pending verdict all ask it). Automerge.hasHeads rebuilds
 * each change to find it (~10 ms for a feed of 100 offers); getMissingDeps only looks hashes up, and an
 * empty answer means held (a change still queued for a dependency always leaves that dependency in it).
 * A non-empty answer can also come from an unrelated queued change, so only then does hasHeads decide.
 */
export function holdsHeads(doc: AnyDoc, heads: readonly string[]): boolean {
  if (Automerge.getMissingDeps(doc, [...heads]).length === 0) return true;
  return Automerge.hasHeads(doc, [...heads]);
}
