import { concatBytes, encodeItem, int, plainBytes } from './cbor-items.ts';
import { CrcType, blockCrc, crcLength, writeCrcValue } from './crc.ts';
import { eidToCbor } from './eid.ts';
import { encodeExtensionData } from './extension-data.ts';
import {
  BP_VERSION,
  BlockType,
  BundleFlags,
  PAYLOAD_BLOCK_NUMBER,
  blockTypeOf,
  type Bundle,
  type PrimaryBlock,
} from './types.ts';
import { validateBundle } from './validate.ts';

const OPEN_INDEFINITE_ARRAY = Uint8Array.of(0x9f);
const BREAK = Uint8Array.of(0xff);

/**
 * RFC 9171 §4.1 framing: an indefinite-length array (written here by hand) holding one
 * definite-length array per block (encoded by cbor2), primary first, payload last.
 * Throws BundleError when the bundle breaks a rule the decoder would refuse it for.
 */
export function encodeBundle(b: Bundle): Uint8Array {
  validateBundle(b);
  const parts = [OPEN_INDEFINITE_ARRAY, encodePrimary(b.primary)];
  for (const e of b.extensions) {
    parts.push(encodeCanonical(blockTypeOf(e), e.number, e.flags, e.crcType, encodeExtensionData(e)));
  }
  const { flags, crcType, data } = b.payload;
  parts.push(encodeCanonical(BlockType.Payload, PAYLOAD_BLOCK_NUMBER, flags, crcType, data), BREAK);
  return concatBytes(parts);
}

function encodePrimary(p: PrimaryBlock): Uint8Array {
  const flags = withFragmentBit(p.flags, p.fragment !== undefined);
  const items: unknown[] = [
    BP_VERSION,
    int(flags),
    p.crcType,
    eidToCbor(p.destination),
    eidToCbor(p.source),
    eidToCbor(p.reportTo),
    [int(p.creationTime), int(p.sequence)],
    int(p.lifetimeMs),
  ];
  if (p.fragment) items.push(int(p.fragment.offset), int(p.fragment.totalAduLength));
  return withCrc(items, p.crcType);
}

/** The is-fragment bit follows the fragment fields. Arithmetic, not `|`: flags may exceed 32 bits. */
function withFragmentBit(flags: number, fragment: boolean): number {
  const has = (flags & BundleFlags.IsFragment) !== 0;
  return has === fragment ? flags : fragment ? flags + 1 : flags - 1;
}

function encodeCanonical(type: number, num: number, flags: number, crcType: CrcType, data: Uint8Array): Uint8Array {
  return withCrc([int(type), int(num), int(flags), crcType, plainBytes(data)], crcType);
}

/** Encodes the block with a zeroed CRC value last, then fills the value in place. */
function withCrc(items: unknown[], crcType: CrcType): Uint8Array {
  if (crcType !== CrcType.None) items.push(new Uint8Array(crcLength(crcType)));
  const block = encodeItem(items);
  if (crcType !== CrcType.None) {
    const crc = blockCrc(crcType, block, 0, block.length);
    writeCrcValue(crcType, crc, block, block.length - crcLength(crcType));
  }
  return block;
}
