import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BundleError, decodeBundle, encodeBundle } from '../../../src/core/dtn/index.ts';
import { bundleArb } from './arbitraries.ts';

/**
 * 100,000 hostile inputs: random bytes, and valid encodings with bits flipped, cut short, bytes
 * inserted, deleted or overwritten. Each must decode to a typed error that is not a decoder fault,
 * or to a bundle that re-encodes to exactly the input (the decoder accepts canonical bytes only).
 */

const SEED = 20250101;
const pool = fc.sample(bundleArb, { numRuns: 300, seed: SEED }).map(encodeBundle);
const PER_PROPERTY = 20_000;

let accepted = 0;

function checkTotal(input: Uint8Array): void {
  const r = decodeBundle(input);
  if (!r.ok) {
    if (!(r.error instanceof BundleError) || r.error.code === 'internal') {
      throw new Error(`untyped or internal error for ${Buffer.from(input).toString('hex')}: ${r.error.message}`);
    }
    return;
  }
  accepted++;
  const again = encodeBundle(r.bundle);
  if (r.discarded.length === 0 && Buffer.compare(Buffer.from(again), Buffer.from(input)) !== 0) {
    throw new Error(`accepted non-canonical input ${Buffer.from(input).toString('hex')}`);
  }
  if (!decodeBundle(again).ok) throw new Error('re-encoded bundle does not decode');
}

const validArb = fc.nat(pool.length - 1).map((i) => pool[i]);
const run = <T extends unknown[]>(prop: fc.IProperty<T>) => fc.assert(prop, { numRuns: PER_PROPERTY, seed: SEED });

describe('dtn decoder fuzzing (5 x 20,000 inputs)', () => {
  it('Scenario: random and mutated inputs give only typed results — random bytes', () => {
    const random = fc.oneof(
      fc.uint8Array({ maxLength: 200 }),
      fc.uint8Array({ maxLength: 200 }).map((b) => Uint8Array.from([0x9f, ...b])), // get past the first check
    );
    run(fc.property(random, (b) => checkTotal(b)));
  });

  it('Scenario: random and mutated inputs give only typed results — bit flips', () => {
    run(
      fc.property(validArb, fc.array(fc.tuple(fc.nat(), fc.nat(7)), { minLength: 1, maxLength: 4 }), (valid, flips) => {
        const m = valid.slice();
        for (const [at, bit] of flips) m[at % m.length] ^= 1 << bit;
        checkTotal(m);
      }),
    );
  });

  it('Scenario: random and mutated inputs give only typed results — truncations', () => {
    run(fc.property(validArb, fc.nat(), (valid, cut) => checkTotal(valid.subarray(0, cut % valid.length))));
  });

  it('Scenario: random and mutated inputs give only typed results — insertions', () => {
    run(
      fc.property(validArb, fc.nat(), fc.uint8Array({ minLength: 1, maxLength: 9 }), (valid, at, extra) => {
        const i = at % (valid.length + 1);
        checkTotal(Uint8Array.from([...valid.subarray(0, i), ...extra, ...valid.subarray(i)]));
      }),
    );
  });

  it('Scenario: random and mutated inputs give only typed results — deletions and overwrites', () => {
    run(
      fc.property(validArb, fc.nat(), fc.nat(8), fc.option(fc.integer({ min: 0, max: 255 })), (valid, at, n, byte) => {
        const i = at % valid.length;
        const m = byte === null
          ? Uint8Array.from([...valid.subarray(0, i), ...valid.subarray(i + n + 1)])
          : Uint8Array.from(valid, (b, j) => (j === i ? byte : b));
        checkTotal(m);
      }),
    );
    // Some mutations (in unprotected data, or flips that keep a CRC-less block valid) are
    // legitimately accepted; the canonical re-encoding check above covers them.
    expect(accepted).toBeGreaterThan(0);
  });
});
