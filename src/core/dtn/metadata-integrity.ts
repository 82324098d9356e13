import { extensionOf, nextBlockNumber } from './accessors.ts';
import { encodeItem } from './cbor-items.ts';
import { CrcType } from './crc.ts';
import { encodeExtensionData } from './extension-data.ts';
import type { Bundle, MeshMetadataBlock, UnknownBlock } from './types.ts';

/**
 * Integrity of the mesh metadata block (type 192). Its priority and audience steer what relays keep,
 * evict and pass on, and any carrier could rewrite them, so a relay acts on them only when a metadata
 * seal (block type 194, private/experimental range beside 192 and the relay signature 193) verifies
 * over them; otherwise block 192 is carried as an unknown block would be, and the bundle's kind decides.
 *
 * Not an RFC 9172 BIB, for the reason changeset-auth.ts gives: the one standard BIB context is a shared-
 * key MAC. Data: CBOR [bstr .size 32 key, bstr .size 64 ed25519 signature], always 101 bytes, flags 0
 * (nodes that do not know it carry it unchanged). The signature covers a context string and the
 * bundle's identity (source, creation time, sequence), destination and the metadata block's number,
 * flags and data, so a seal cannot be moved onto another bundle or another block, and no field of the
 * metadata can change under it. It says the metadata is as its maker wrote it; whether that maker is
 * trusted is the application's question (a change-set's relay signature answers it).
 */
export const METADATA_SEAL_BLOCK = 194;
const CONTEXT = new TextEncoder().encode('solarpunk-mesh metadata seal v1\u0000');
const DATA_LENGTH = 101;

export type SealSigner = (message: Uint8Array) => Uint8Array;
export type SealCheck = (message: Uint8Array, signature: Uint8Array, publicKey: Uint8Array) => boolean;

function message(b: Bundle, m: MeshMetadataBlock): Uint8Array {
  const p = b.primary;
  const covered = encodeItem([p.source, p.creationTime, p.sequence, p.destination, m.number, m.flags, encodeExtensionData(m)]);
  const out = new Uint8Array(CONTEXT.length + covered.length);
  out.set(CONTEXT);
  out.set(covered, CONTEXT.length);
  return out;
}

const isSeal = (e: Bundle['extensions'][number]): e is UnknownBlock => e.kind === 'unknown' && e.type === METADATA_SEAL_BLOCK;

/** The bundle with a seal by `publicKey` over its metadata (any earlier seal replaced); unchanged without metadata. */
export function sealMetadata(b: Bundle, publicKey: Uint8Array, sign: SealSigner): Bundle {
  const meta = extensionOf(b, 'mesh-metadata');
  if (!meta) return b;
  const kept = b.extensions.filter((e) => !isSeal(e));
  const base = { ...b, extensions: kept };
  const seal: UnknownBlock = {
    kind: 'unknown',
    type: METADATA_SEAL_BLOCK,
    number: nextBlockNumber(base),
    flags: 0,
    crcType: CrcType.None,
    data: encodeItem([publicKey, sign(message(base, meta))]),
  };
  return { ...base, extensions: [...kept, seal] };
}

/**
 * The metadata block when exactly one seal verifies over it, else undefined (no metadata, no seal,
 * several seals, a malformed one, or any covered field changed). With `byKey`, only a seal by that key
 * counts (a change-set's metadata must be sealed by the relay that signed it). Total over any bundle.
 */
export function sealedMetadata(b: Bundle, check: SealCheck, byKey?: Uint8Array): MeshMetadataBlock | undefined {
  const meta = extensionOf(b, 'mesh-metadata');
  const seals = b.extensions.filter(isSeal);
  if (!meta || seals.length !== 1) return undefined;
  const d = seals[0].data;
  // Fixed layout: array(2), bstr(32) key, bstr(64) signature.
  if (d.length !== DATA_LENGTH || d[0] !== 0x82 || d[1] !== 0x58 || d[2] !== 32 || d[35] !== 0x58 || d[36] !== 64) return undefined;
  const key = d.slice(3, 35);
  if (byKey && !(byKey.length === key.length && byKey.every((x, i) => x === key[i]))) return undefined;
  try {
    return check(message(b, meta), d.slice(37, 101), key) ? meta : undefined;
  } catch {
    return undefined;
  }
}
