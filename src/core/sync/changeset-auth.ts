import nacl from 'tweetnacl';
import { concatBytes } from '../crypto/bytes.ts';
import { fromBase64Url, toBase64Url, utf8 } from '../crypto/encoding.ts';
import { encodeItem } from '../dtn/cbor-items.ts';
import { nextBlockNumber } from '../dtn/accessors.ts';
import { CrcType } from '../dtn/crc.ts';
import type { Bundle, UnknownBlock } from '../dtn/types.ts';

/**
 * Relay signature block: who originated a change-set bundle, so a relay applies to a community's docs
 * only what a relay that community names (a steward-signed list of relay keys) sent.
 *
 * Not an RFC 9172 BIB: BPSec's only standard BIB context (RFC 9173, BIB-HMAC-SHA2) is a shared-key MAC,
 * which cannot say *which* relay wrote a bundle, and an ed25519 context would be a private context id
 * inside a BIB's abstract security block that no other implementation reads either. So this is an
 * extension block of its own in the private/experimental range (192-255; 192 is mesh metadata), with
 * flags 0: carriers that do not know it keep it byte for byte (decode.ts keeps unknown blocks).
 *
 * Data: CBOR [bstr .size 32 relay key, bstr .size 64 signature] — always 101 bytes. The signature
 * covers a context string, the bundle's destination (which names the community) and the payload bytes.
 */
export const RELAY_SIGNATURE_BLOCK = 193;
const CONTEXT = utf8.encode('solarpunk-mesh relay change-set signature v1\u0000');
const DATA_LENGTH = 101;

function message(destination: string, payload: Uint8Array): Uint8Array {
  return concatBytes(CONTEXT, utf8.encode(destination), new Uint8Array([0]), payload);
}

/** Makes an ed25519 signature over raw bytes (the relay uses node:crypto's; tweetnacl by default). */
export type RawSigner = (message: Uint8Array) => Uint8Array;

export const naclSigner =
  (signSecretKey: Uint8Array): RawSigner =>
  (m) =>
    nacl.sign.detached(m, signSecretKey);

/** The bundle with a signature block by `publicKey` added (any earlier signature block replaced). */
export function signChangeSetBundle(b: Bundle, publicKey: Uint8Array, sign: RawSigner): Bundle {
  const signature = sign(message(b.primary.destination, b.payload.data));
  const kept = b.extensions.filter((e) => !(e.kind === 'unknown' && e.type === RELAY_SIGNATURE_BLOCK));
  const base = { ...b, extensions: kept };
  const block: UnknownBlock = { kind: 'unknown', type: RELAY_SIGNATURE_BLOCK, number: nextBlockNumber(base), flags: 0, crcType: CrcType.None, data: encodeItem([publicKey, signature]) };
  return { ...base, extensions: [...kept, block] };
}

export type ChangeSetAuthorship = { ok: true; relay: string } | { ok: false; reason: 'unsigned' | 'malformed' | 'several' | 'forged' };

/** ed25519 check over raw bytes (the relay installs node:crypto's). */
export type RawSignatureCheck = (message: Uint8Array, signature: Uint8Array, publicKey: Uint8Array) => boolean;
const naclCheck: RawSignatureCheck = (m, s, pk) => nacl.sign.detached.verify(m, s, pk);

/** Which relay signed this bundle's payload for its destination, or why none did. Total over any bundle. */
export function changeSetAuthor(b: Bundle, check: RawSignatureCheck = naclCheck): ChangeSetAuthorship {
  const blocks = b.extensions.filter((e): e is UnknownBlock => e.kind === 'unknown' && e.type === RELAY_SIGNATURE_BLOCK);
  if (blocks.length === 0) return { ok: false, reason: 'unsigned' };
  if (blocks.length > 1) return { ok: false, reason: 'several' };
  const d = blocks[0].data;
  // Fixed layout: array(2), bstr(32) key, bstr(64) signature.
  if (d.length !== DATA_LENGTH || d[0] !== 0x82 || d[1] !== 0x58 || d[2] !== 32 || d[35] !== 0x58 || d[36] !== 64) return { ok: false, reason: 'malformed' };
  const publicKey = d.slice(3, 35);
  const signature = d.slice(37, 101);
  let good = false;
  try {
    good = check(message(b.primary.destination, b.payload.data), signature, publicKey);
  } catch {
    good = false;
  }
  return good ? { ok: true, relay: toBase64Url(publicKey) } : { ok: false, reason: 'forged' };
}

/** A relay key as communities list it (base64url of 32 bytes), or null. */
export function relayKeyBytes(key: string): Uint8Array | null {
  try {
    const k = fromBase64Url(key);
    return k.length === 32 ? k : null;
  } catch {
    return null;
  }
}
