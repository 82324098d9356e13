import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { crc16X25, crc32c } from '../../../src/core/dtn/index.ts';
import { blockCrc, crc16Final, crc16Update, crc32cFinal, crc32cUpdate, CRC16_INIT, CRC32C_INIT } from '../../../src/core/dtn/crc.ts';

const ascii = (s: string) => new TextEncoder().encode(s);

/** Bit-at-a-time reference implementations, to check the tables against. */
function crc16Slow(bytes: Uint8Array): number {
  let c = 0xffff;
  for (const b of bytes) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x8408 : c >>> 1;
  }
  return c ^ 0xffff;
}

function crc32cSlow(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
  }
  return (c ^ 0xffffffff) >>> 0;
}

describe('dtn CRCs', () => {
  it('Scenario: CRC check values — CRC-16/X-25("123456789") = 0x906E', () => {
    expect(crc16X25(ascii('123456789'))).toBe(0x906e);
  });

  it('Scenario: CRC check values — CRC-32C("123456789") = 0xE3069283', () => {
    expect(crc32c(ascii('123456789'))).toBe(0xe3069283);
  });

  it('Scenario: CRC check values — empty input and RFC 3720 CRC-32C vectors', () => {
    expect(crc16X25(new Uint8Array(0))).toBe(0x0000);
    expect(crc32c(new Uint8Array(0))).toBe(0x00000000);
    expect(crc32c(new Uint8Array(32))).toBe(0x8a9136aa); // 32 bytes of zeros
    expect(crc32c(new Uint8Array(32).fill(0xff))).toBe(0x62a8ab43); // 32 bytes of ones
  });

  it('Scenario: CRC check values — table-driven CRCs equal bitwise references on any input', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        expect(crc16X25(bytes)).toBe(crc16Slow(bytes));
        expect(crc32c(bytes)).toBe(crc32cSlow(bytes));
      }),
    );
  });

  it('Scenario: CRC check values — incremental updates equal one pass', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), fc.nat(100), (bytes, cut) => {
        const k = Math.min(cut, bytes.length);
        expect(crc16Final(crc16Update(crc16Update(CRC16_INIT, bytes, 0, k), bytes, k))).toBe(crc16X25(bytes));
        expect(crc32cFinal(crc32cUpdate(crc32cUpdate(CRC32C_INIT, bytes, 0, k), bytes, k))).toBe(crc32c(bytes));
      }),
    );
  });

  it('Scenario: CRC computed with zeroed value bytes — blockCrc reads the CRC value as zeros', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 4, maxLength: 60 }), (bytes) => {
        const zeroed = bytes.slice();
        zeroed.fill(0, bytes.length - 4);
        expect(blockCrc(2, bytes, 0, bytes.length)).toBe(crc32c(zeroed));
        const zeroed16 = bytes.slice();
        zeroed16.fill(0, bytes.length - 2);
        expect(blockCrc(1, bytes, 0, bytes.length)).toBe(crc16X25(zeroed16));
      }),
    );
  });
});
