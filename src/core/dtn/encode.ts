import type { Writer } from 'cbor2/writer';
import { int, newWriter, plainBytes, writeItem } from './cbor-items.ts';
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

const OPEN_INDEFINITE_ARRAY = 0x9f;
const BREAK = 0xff;

/** Where a block lies in the output, so its CRC can be filled in once the bytes exist. */
interface CrcSlot {
  readonly start: number;
  readonly end: number;
  readonly type: CrcType;
}

/**
 * RFC 9171 §4.1 framing: an indefinite-length array (its head and break written here by hand)
 * holding one definite-length array per block (items written by cbor2), primary first, payload
 * last. Throws BundleError when the bundle breaks a rule the decoder would refuse it for.
 */
export function encodeBundle(b: Bundle): Uint8Array {
  validateBundle(b);
  const w = newWriter(1024);
  const slots: CrcSlot[] = [];
  w.writeUint8(OPEN_INDEFINITE_ARRAY);
  writeBlock(w, primaryItems(b.primary), b.primary.crcType, slots);
  for (const e of b.extensions) {
    writeBlock(w, [int(blockTypeOf(e)), int(e.number), int(e.flags), e.crcType, encodeExtensionData(e)], e.crcType, slots);
  }
  const { flags, crcType, data } = b.payload;
  writeBlock(w, [BlockType.Payload, PAYLOAD_BLOCK_NUMBER, int(flags), crcType, plainBytes(data)], crcType, slots);
  w.writeUint8(BREAK);
  const out = w.read();
  for (const { start, end, type } of slots) writeCrcValue(type, blockCrc(type, out, start, end), out, end - crcLength(type));
  return out;
}

function primaryItems(p: PrimaryBlock): unknown[] {
  const items: unknown[] = [
    BP_VERSION,
    int(withFragmentBit(p.flags, p.fragment !== undefined)),
    p.crcType,
    eidToCbor(p.destination),
    eidToCbor(p.source),
    eidToCbor(p.reportTo),
    [int(p.creationTime), int(p.sequence)],
    int(p.lifetimeMs),
  ];
  if (p.fragment) items.push(int(p.fragment.offset), int(p.fragment.totalAduLength));
  return items;
}

/** The is-fragment bit follows the fragment fields. Arithmetic, not `|`: flags may exceed 32 bits. */
function withFragmentBit(flags: number, fragment: boolean): number {
  const has = (flags & BundleFlags.IsFragment) !== 0;
  return has === fragment ? flags : fragment ? flags + 1 : flags - 1;
}

/** Writes the block with a zeroed CRC value last (per RFC 9171 §4.2.1) and remembers where it is. */
function writeBlock(w: Writer, items: unknown[], crcType: CrcType, slots: CrcSlot[]): void {
  const start = w.length;
  if (crcType !== CrcType.None) items.push(new Uint8Array(crcLength(crcType)));
  writeItem(w, items);
  if (crcType !== CrcType.None) slots.push({ start, end: w.length, type: crcType });
}
