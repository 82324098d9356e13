import { CborReader } from './cbor-reader.ts';
import { encodeItem, int, newWriter, writeItem } from './cbor-items.ts';
import { eidToCbor, readEid } from './eid.ts';
import { BundleError } from './errors.ts';
import { isAudience, isPriority } from './mesh-metadata.ts';
import { BlockType, type BlockHeader, type ExtensionBlock } from './types.ts';

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

const MAP_OF_TWO = 0xa2;

/**
 * The map head is written by hand: cbor2 encodes a Map by encoding every key separately to sort
 * them, which cost more than the whole rest of the bundle. Keys are in deterministic order.
 */
function encodeMeshMetadata(audience: string, priority: number): Uint8Array {
  const w = newWriter();
  w.writeUint8(MAP_OF_TWO);
  for (const item of ['audience', audience, 'priority', int(priority)]) writeItem(w, item);
  return w.read();
}

/**
 * Parses the data of a known block type; undefined for types this node does not process.
 * Anything wrong inside the data is reported as 'bad-block-data' naming the block.
 */
export function decodeExtensionData(type: number, header: BlockHeader, data: Uint8Array): ExtensionBlock | undefined {
  const parse = PARSERS[type];
  if (!parse) return undefined;
  const r = new CborReader(data);
  try {
    const block = parse(r, header);
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
  [BlockType.MeshMetadata]: readMeshMetadata,
};

function readHopCount(r: CborReader, h: BlockHeader): ExtensionBlock {
  if (r.readArrayHeader('hop count') !== 2) throw new BundleError('bad-block-length', 'hop count must be [limit, count]');
  const limit = r.readUint('hop limit');
  const count = r.readUint('hop count');
  return { kind: 'hop-count', ...h, limit, count };
}

function readMeshMetadata(r: CborReader, h: BlockHeader): ExtensionBlock {
  if (r.readMapHeader('mesh metadata') !== 2) throw new BundleError('bad-block-length', 'mesh metadata must be a 2-entry map');
  if (r.readText('mesh metadata key') !== 'audience') throw new BundleError('wrong-type', "first key must be 'audience'");
  const audience = r.readText('audience');
  if (r.readText('mesh metadata key') !== 'priority') throw new BundleError('wrong-type', "second key must be 'priority'");
  const priority = r.readUint('priority');
  if (!isAudience(audience)) throw new BundleError('wrong-type', `unknown audience ${JSON.stringify(audience)}`);
  if (!isPriority(priority)) throw new BundleError('wrong-type', `priority ${priority} outside 0..3`);
  return { kind: 'mesh-metadata', ...h, priority, audience };
}
