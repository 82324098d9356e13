import { decode } from 'cbor2';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeBundle, encodeBundle } from '../../../src/core/dtn/index.ts';
import { bundleArb } from './arbitraries.ts';
import { block, concat, frame, hex, indefiniteBlock, payloadItems, primaryItems } from './craft.ts';

/** Re-frames an encoded bundle with every block (and every array inside a block) in indefinite form. */
function allIndefinite(bytes: Uint8Array): Uint8Array {
  const blocks = decode(bytes) as unknown[][];
  return frame(
    ...blocks.map((items) => {
      const crcType = items[0] === 7 && blocks[0] === items ? (items[2] as 0 | 1 | 2) : (items[3] as 0 | 1 | 2);
      return indefiniteBlock(crcType ? items.slice(0, -1) : items, crcType);
    }),
  );
}

function errorCode(bytes: Uint8Array): string | undefined {
  const r = decodeBundle(bytes);
  return r.ok ? undefined : r.error.code;
}

describe('dtn codec: indefinite-length block arrays (RFC 9171 §4.1)', () => {
  it('Scenario: indefinite-length blocks are accepted — a primary block as an indefinite array, CRC over its closing break', () => {
    for (const crc of [0, 1, 2] as const) {
      const primary = crc === 0 ? indefiniteBlock(primaryItems({ crcType: 0 })) : indefiniteBlock(primaryItems({ crcType: crc }), crc);
      const bib = crc === 0 ? [block([11, 2, 0, 0, concat(hex('8100'), hex('01 00 820100 80'))])] : [];
      const r = decodeBundle(frame(primary, ...bib, block(payloadItems())));
      expect(r.ok && r.bundle.primary.destination, `CRC type ${crc}`).toBe('dtn://b/in');
    }
  });

  it('Scenario: indefinite-length blocks are accepted — any valid bundle, every block and inner array indefinite, decodes equal', () => {
    fc.assert(
      fc.property(bundleArb, (b) => {
        const r = decodeBundle(allIndefinite(encodeBundle(b)));
        if (!r.ok) throw r.error;
        expect(r.bundle).toEqual(b);
      }),
      { numRuns: 300 },
    );
  });

  it('Scenario: indefinite-length blocks are accepted — a wrong CRC, a missing break or an extra item is still refused', () => {
    const good = indefiniteBlock(primaryItems(), 2);
    const flipped = good.slice();
    flipped[flipped.length - 2] ^= 1; // inside the CRC value
    expect(errorCode(frame(flipped, block(payloadItems())))).toBe('bad-crc');
    const coveredBreak = good.slice();
    coveredBreak[coveredBreak.length - 1] = 0x00; // the break is covered by the CRC and required
    expect(errorCode(frame(coveredBreak, block(payloadItems())))).not.toBeUndefined();
    const extra = indefiniteBlock([...primaryItems(), 5], 2); // an item where the flags and CRC type put the CRC
    expect(errorCode(frame(extra, block(payloadItems())))).toBe('wrong-type');
    const payloadExtra = indefiniteBlock([...payloadItems(), 1]);
    expect(errorCode(frame(block(primaryItems(), 2), payloadExtra))).toBe('bad-block-length');
  });
});
