import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Decoder, Encoder, itemOf, type Item } from '../../../relay/dtn/routing/riblt.ts';

// openspec/specs/dtn-bundles/spec.md — relays learn what the other lacks in proportion to the difference.

const word = fc.integer({ min: 0, max: 0xffffffff });
const key = (i: Item): string => `${i.kh}:${i.kl}`;

/** Streams A's symbols into a decoder of B's items until it decodes (or `limit` symbols). */
function reconcile(a: Item[], b: Item[], limit: number): { decoder: Decoder; symbols: number } {
  const encoder = new Encoder(a);
  const decoder = new Decoder(b, 2 * (a.length + b.length) + 1024);
  let symbols = 0;
  while (!decoder.decode() && symbols < limit) {
    decoder.add(encoder.next());
    symbols++;
  }
  return { decoder, symbols };
}

describe('rateless IBLT', () => {
  it('Scenario: each side learns exactly the items only the other holds, in about 1.5 symbols per difference (property)', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.tuple(word, word), { maxLength: 600, selector: ([h, l]) => `${h}:${l}` }), fc.array(fc.nat(2), { minLength: 600, maxLength: 600 }), (keys, where) => {
        const items = keys.map(([h, l]) => itemOf(h, l));
        const a = items.filter((_, i) => where[i] !== 2);
        const b = items.filter((_, i) => where[i] !== 1);
        const onlyA = items.filter((_, i) => where[i] === 1).map(key).sort();
        const onlyB = items.filter((_, i) => where[i] === 2).map(key).sort();
        const d = onlyA.length + onlyB.length;
        const { decoder, symbols } = reconcile(a, b, 10 * d + 100);
        expect(decoder.remote.map(key).sort()).toEqual(onlyA);
        expect(decoder.local.map(key).sort()).toEqual(onlyB);
        // The paper's overhead is 1.35–1.7 symbols per difference on average; this bounds the odd unlucky set.
        expect(symbols).toBeLessThanOrEqual(4 * d + 40);
      }),
      { numRuns: 80 },
    );
  });

  it('Scenario: symbols that are noise end decoding, failed or not, never in a loop (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ kh: word, kl: word, ch: word, cl: word, count: fc.integer({ min: -3, max: 3 }) }), { maxLength: 200 }), fc.array(fc.tuple(word, word), { maxLength: 50 }), (noise, mine) => {
        const decoder = new Decoder(mine.map(([h, l]) => itemOf(h, l)), 64);
        for (const s of noise) decoder.add(s);
        expect(typeof decoder.decode()).toBe('boolean');
      }),
      { numRuns: 200 },
    );
  });

  it('Scenario: a key is one item whether its 32-bit words come signed or not (property)', () => {
    fc.assert(
      fc.property(word, word, (h, l) => {
        expect(itemOf(h | 0, l | 0)).toEqual(itemOf(h, l));
      }),
    );
  });
});
