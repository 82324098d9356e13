import fc from 'fast-check';
import { encode } from 'cbor2';
import { describe, expect, it } from 'vitest';
import {
  CarryCodecError,
  decodeHandIn,
  decodeTakeAnswer,
  decodeTakeRequest,
  encodeHandIn,
  encodeTakeAnswer,
  encodeTakeRequest,
  MAX_CARRY_BUNDLES,
  MAX_HELD_IDS,
  parseHandInAnswer,
} from '../../../src/core/protocol/carry.ts';

// openspec/changes/carry — the carry bodies a phone and a relay exchange: strict, total, round-trip.
const id = fc.string({ minLength: 1, maxLength: 80 });
const bytes = fc.uint8Array({ minLength: 1, maxLength: 200 });

/** Only CarryCodecError, never anything else, and never a value that is not what was encoded. */
function total(decode: (b: Uint8Array) => unknown, b: Uint8Array): void {
  try {
    decode(b);
  } catch (err) {
    expect(err).toBeInstanceOf(CarryCodecError);
  }
}

describe('carry protocol codec', () => {
  it('Scenario: carry requests and answers round-trip, and arbitrary bytes decode to a value or a CarryCodecError', () => {
    fc.assert(
      fc.property(fc.nat(), fc.array(id, { maxLength: 30 }), fc.array(bytes, { maxLength: 10 }), (max, held, bundles) => {
        expect(decodeTakeRequest(encodeTakeRequest({ max, held }))).toEqual({ max, held });
        expect(decodeHandIn(encodeHandIn({ bundles }))).toEqual({ bundles });
        expect(decodeTakeAnswer(encodeTakeAnswer({ node: 'dtn://island-a/', bundles }))).toEqual({ node: 'dtn://island-a/', bundles });
      }),
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (junk) => {
        total(decodeTakeRequest, junk);
        total(decodeHandIn, junk);
        total(decodeTakeAnswer, junk);
      }),
    );
    // Well-formed CBOR of the wrong shape: refused by shape, not crashed on.
    fc.assert(
      fc.property(fc.anything(), (v) => {
        let b: Uint8Array;
        try {
          b = encode(v);
        } catch {
          return;
        }
        total(decodeTakeRequest, b);
        total(decodeHandIn, b);
        total(decodeTakeAnswer, b);
      }),
    );
  });

  it('Scenario: a carry body over its bounds is refused with a clear code', () => {
    const code = (f: () => unknown) => {
      try {
        f();
      } catch (err) {
        return (err as CarryCodecError).code;
      }
      return 'decoded';
    };
    expect(code(() => decodeTakeRequest(encode({ max: -1, held: [] })))).toBe('bad-shape');
    expect(code(() => decodeTakeRequest(encode({ max: 1, held: Array.from({ length: MAX_HELD_IDS + 1 }, (_, i) => `x${i}`) })))).toBe('bad-shape');
    expect(code(() => decodeHandIn(encode({ bundles: Array.from({ length: MAX_CARRY_BUNDLES + 1 }, () => new Uint8Array([1])) })))).toBe('bad-shape');
    expect(code(() => decodeHandIn(encode({ bundles: [new Uint8Array(5 * 1024 * 1024)] })))).toBe('too-large');
    expect(code(() => decodeHandIn(encode({ bundles: [], extra: 1 })))).toBe('bad-shape');
    expect(code(() => decodeTakeAnswer(encode({ node: 'http://evil/', bundles: [] })))).toBe('bad-shape');
    expect(parseHandInAnswer({ node: 'dtn://b/', accepted: [{ id: 'x', outcome: 'stored' }], refused: [{ index: 0, reason: 'no' }] })).toBeDefined();
    expect(parseHandInAnswer({ node: 'dtn://b/', accepted: [{ id: 1, outcome: 'stored' }], refused: [] })).toBeUndefined();
    expect(parseHandInAnswer('nope')).toBeUndefined();
  });
});
