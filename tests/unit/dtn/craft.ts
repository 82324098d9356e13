import { encode } from 'cbor2';
import { crc16X25, crc32c } from '../../../src/core/dtn/index.ts';
import { concat } from '../../helpers/bytes.ts';

/**
 * Builds bundle bytes for the tests without the codec under test: items are encoded by cbor2,
 * framing and CRCs are done here by hand, so malformed variants can be produced at will.
 */

export const hex = (h: string): Uint8Array => Uint8Array.from(h.replace(/\s+/g, '').match(/../g) ?? [], (b) => parseInt(b, 16));
export const toHex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');

export { concat } from '../../helpers/bytes.ts';

/** Encodes a block array; with a CRC type, appends the CRC byte string and fills it in per RFC 9171 §4.2.1. */
export function block(items: unknown[], crcType: 0 | 1 | 2 = 0): Uint8Array {
  if (crcType === 0) return encode(items);
  const n = crcType === 1 ? 2 : 4;
  const bytes = encode([...items, new Uint8Array(n)]);
  const crc = crcType === 1 ? crc16X25(bytes) : crc32c(bytes);
  for (let i = 0; i < n; i++) bytes[bytes.length - n + i] = (crc >>> (8 * (n - 1 - i))) & 0xff;
  return bytes;
}

export function frame(...blocks: Uint8Array[]): Uint8Array {
  return concat(Uint8Array.of(0x9f), ...blocks, Uint8Array.of(0xff));
}

export const CREATED = 789_004_800_000; // 2025-01-01T00:00:00Z in DTN time

/** Items of a valid primary block (CRC type 2 unless told), for tweaking. */
export function primaryItems(over: Partial<Record<'flags' | 'crcType', number>> = {}): unknown[] {
  return [7, over.flags ?? 0, over.crcType ?? 2, [1, '//b/in'], [1, '//a/out'], [1, '//a/out'], [CREATED, 1], 3_600_000];
}

export const payloadItems = (data = new Uint8Array([104, 105])): unknown[] => [1, 1, 0, 0, data];

/** A valid minimal bundle: CRC-32C primary, payload "hi". */
export function minimal(): Uint8Array {
  return frame(block(primaryItems(), 2), block(payloadItems()));
}

/** Every array in the value written in indefinite-length form (0x9f … 0xff); other items by cbor2. */
export function indefinite(value: unknown): Uint8Array {
  if (Array.isArray(value)) return concat(Uint8Array.of(0x9f), ...value.map(indefinite), Uint8Array.of(0xff));
  return encode(value);
}

/**
 * A block as an indefinite-length array (nested arrays too), CRC filled in per RFC 9171 §4.2.1:
 * over the whole block, closing break included, with the value bytes zeroed.
 */
export function indefiniteBlock(items: unknown[], crcType: 0 | 1 | 2 = 0): Uint8Array {
  if (crcType === 0) return indefinite(items);
  const n = crcType === 1 ? 2 : 4;
  const bytes = indefinite([...items, new Uint8Array(n)]);
  const crc = crcType === 1 ? crc16X25(bytes) : crc32c(bytes);
  const at = bytes.length - 1 - n; // the value sits just before the closing break
  for (let i = 0; i < n; i++) bytes[at + i] = (crc >>> (8 * (n - 1 - i))) & 0xff;
  return bytes;
}
