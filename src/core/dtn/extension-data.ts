import { CborReader } from './cbor-reader.ts';
import { encodeItem, int, newWriter, writeItem } from './cbor-items.ts';
import { eidToCbor, readEid } from './eid.ts';
import { BundleError } from './errors.ts';
import { MESH_METADATA_MARKER, isAudience, isPriority } from './mesh-metadata.ts';
import { BlockType, type BlockHeader, type ExtensionBlock, type MeshMetadataBlock } from './types.ts';

/** Block-type-specific data (the content of the block's byte string) for each extension kind. */
export function encodeExtensionData(e: ExtensionBlock): Uint8Array {
  switch (e.kind) {
    case 'previous-node':
      return encodeItem(eidToCbor(e.node));
    case 'bundle-age':
      return encodeItem(int(e.ageMs));
    case 'hop-count':
      return encodeItem([int(e.limit), int(e.count)]);
    case 'mesh-metadata':
      return encodeMeshMetadata(e.audience, e.priority);
    case 'unknown':
      return e.data;
  }
}

const ARRAY_OF_THREE = 0x83;

/**
 * The array head is written by hand: cbor2's generic path cost more than the rest of the bundle.
 * The marker comes first so another node's use of private block type 192 is never mistaken for ours.
 */
function encodeMeshMetadata(audience: string, priority: number): Uint8Array {
  const w = newWriter();
  w.writeUint8(ARRAY_OF_THREE);
  for (const item of [MESH_METADATA_MARKER, audience, int(priority)]) writeItem(w, item);
  return w.read();
}

/**
 * Parses the data of a known block type; undefined for types this node does not process, and for
 * a type 192 block that is not the project's mesh metadata (another node's private use of 192).
 * Anything wrong inside the data of a block that is ours is reported as 'bad-block-data'.
 */
export function decodeExtensionData(type: number, header: BlockHeader, data: Uint8Array): ExtensionBlock | undefined {
  if (type === BlockType.MeshMetadata) {
    const meta = readMeshMetadata(data, header);
    return meta === 'foreign' ? undefined : meta;
  }
  const parse = PARSERS[type];
  if (!parse) return undefined;
  return parseWhole(type, header, data, (r) => parse(r, header));
}

function parseWhole(type: number, header: BlockHeader, data: Uint8Array, parse: (r: CborReader) => ExtensionBlock): ExtensionBlock {
  const r = new CborReader(data);
  try {
    const block = parse(r);
    if (!r.atEnd()) throw new BundleError('trailing-bytes', `${r.remaining} bytes after the data item`);
    return block;
  } catch (e) {
    if (!(e instanceof BundleError)) throw e;
    throw new BundleError('bad-block-data', `block ${header.number} (type ${type}): ${e.message}`, {
      blockType: type,
      blockNumber: header.number,
    });
  }
}

type Parser = (r: CborReader, h: BlockHeader) => ExtensionBlock;

const PARSERS: Record<number, Parser> = {
  [BlockType.PreviousNode]: (r, h) => ({ kind: 'previous-node', ...h, node: readEid(r, 'previous node') }),
  [BlockType.BundleAge]: (r, h) => ({ kind: 'bundle-age', ...h, ageMs: r.readUint('bundle age') }),
  [BlockType.HopCount]: readHopCount,
};

function readHopCount(r: CborReader, h: BlockHeader): ExtensionBlock {
  const close = r.readTuple('hop count', 2, () => new BundleError('bad-block-length', 'hop count must be [limit, count]'));
  const limit = r.readUint('hop limit');
  const count = r.readUint('hop count');
  close();
  return { kind: 'hop-count', ...h, limit, count };
}

/**
 * Type 192 data: ours when it starts with the marker (then it must be well formed), or when it
 * is exactly the unmarked map relays wrote before the marker existed (bundles still in stores).
 * Anything else belongs to someone else.
 */
function readMeshMetadata(data: Uint8Array, h: BlockHeader): MeshMetadataBlock | 'foreign' {
  if (hasMarker(data)) return parseWhole(BlockType.MeshMetadata, h, data, (r) => readMarked(r, h)) as MeshMetadataBlock;
  return readLegacy(data, h) ?? 'foreign';
}

function hasMarker(data: Uint8Array): boolean {
  const r = new CborReader(data);
  try {
    return r.readArrayStart('mesh metadata') !== 0 && r.readText('mesh metadata marker') === MESH_METADATA_MARKER;
  } catch {
    return false;
  }
}

function readMarked(r: CborReader, h: BlockHeader): MeshMetadataBlock {
  const close = r.readTuple('mesh metadata', 3, () => new BundleError('bad-block-length', 'mesh metadata must be [marker, audience, priority]'));
  r.readText('mesh metadata marker');
  const audience = r.readText('audience');
  const priority = r.readUint('priority');
  close();
  if (!isAudience(audience)) throw new BundleError('wrong-type', `unknown audience ${JSON.stringify(audience)}`);
  if (!isPriority(priority)) throw new BundleError('wrong-type', `priority ${priority} outside 0..3`);
  return { kind: 'mesh-metadata', ...h, priority, audience };
}

/** The unmarked form {"audience": …, "priority": …}; undefined unless it is exactly that and valid. */
function readLegacy(data: Uint8Array, h: BlockHeader): MeshMetadataBlock | undefined {
  const r = new CborReader(data);
  try {
    if (r.readMapHeader('mesh metadata') !== 2 || r.readText('key') !== 'audience') return undefined;
    const audience = r.readText('audience');
    if (r.readText('key') !== 'priority') return undefined;
    const priority = r.readUint('priority');
    if (!r.atEnd() || !isAudience(audience) || !isPriority(priority)) return undefined;
    return { kind: 'mesh-metadata', ...h, priority, audience };
  } catch (e) {
    if (e instanceof BundleError) return undefined;
    throw e;
  }
}

/** True when type 192 data would be read as the project's mesh metadata. */
export function isMeshMetadataData(data: Uint8Array): boolean {
  return hasMarker(data) || readLegacy(data, { number: 2, flags: 0, crcType: 0 }) !== undefined;
}
