import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SHORT_ASCII_MAX, shortAscii } from '../../../src/platform/short-ascii.ts';

const decoder = new TextDecoder('utf-8', { ignoreBOM: true, fatal: true });

describe('platform: Automerge’s short strings without TextDecoder', () => {
  it('Scenario: any window of any bytes reads exactly as TextDecoder reads it, or is left to TextDecoder', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.nat(), fc.nat(), (bytes, a, b) => {
        const at = bytes.length ? a % bytes.length : 0;
        const len = Math.min(b % (SHORT_ASCII_MAX + 10), bytes.length - at);
        const window = bytes.subarray(at, at + len);
        const got = shortAscii(bytes, at, len);
        const plain = window.every((x) => x < 0x80);
        if (plain && len <= SHORT_ASCII_MAX) expect(got).toBe(decoder.decode(window));
        else expect(got).toBeUndefined();
      }),
      { numRuns: 2000 },
    );
  });

  it('Scenario: keys, ids and words a feed is made of are built directly; accents, emoji and long text go to the decoder', () => {
    const enc = new TextEncoder();
    for (const s of ['', 'intents', 'txkmZ5sKchHA_xpjewc1OA', 'Offering a ladder #12']) expect(shortAscii(enc.encode(s), 0, enc.encode(s).length)).toBe(s);
    for (const s of ['Cañada', 'bici 🚲', 'x'.repeat(SHORT_ASCII_MAX + 1)]) expect(shortAscii(enc.encode(s), 0, enc.encode(s).length)).toBeUndefined();
  });
});
