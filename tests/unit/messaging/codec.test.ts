import { encode } from 'cbor2';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeEnvelope, EnvelopeCodecError, encodeEnvelope, MAX_ENVELOPE_BYTES, openMessage, sealMessage, type Envelope } from '../../../src/core/messaging/index.ts';
import { alice, bob, recipientOf, T0 } from './helpers.ts';

function decodeCode(bytes: Uint8Array): string | Envelope {
  try {
    return decodeEnvelope(bytes);
  } catch (e) {
    return e instanceof EnvelopeCodecError ? e.code : `untyped: ${String(e)}`;
  }
}

// Sealing costs an ed25519 signature; a handful of real envelopes is enough to mutate.
const samples = ['hi', 'Bread at the commons, 6 pm 🍞', 'x'.repeat(4000)].map((text) => sealMessage(alice, recipientOf(bob), { kind: 'text', text }, T0));

describe('envelope codec', () => {
  it('Scenario: an envelope survives the bundle payload codec and still opens', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 200 }), (text) => {
        const { envelope, message } = sealMessage(alice, recipientOf(bob), { kind: 'text', text }, T0);
        const bytes = encodeEnvelope(envelope);
        expect(bytes.length).toBeLessThanOrEqual(MAX_ENVELOPE_BYTES);
        const back = decodeEnvelope(bytes);
        expect(back).toEqual(envelope);
        expect(openMessage(bob, back, T0)).toEqual({ ok: true, message });
      }),
      { numRuns: 30 },
    );
    const big = encodeEnvelope(samples[2].envelope);
    expect(big.length).toBeLessThanOrEqual(MAX_ENVELOPE_BYTES);
    // Binary CBOR is smaller than the JSON form of the same envelope.
    expect(encodeEnvelope(samples[0].envelope).length).toBeLessThan(JSON.stringify(samples[0].envelope).length * 0.8);
  });

  it('Scenario: random bytes are a typed decode error, never a crash', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), (bytes) => {
        const r = decodeCode(bytes);
        expect(typeof r === 'string' && !r.startsWith('untyped')).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('Scenario: a mutated payload is a typed error or an envelope that does not open', () => {
    const valid = samples.slice(0, 2).map((s) => encodeEnvelope(s.envelope));
    fc.assert(
      fc.property(
        fc.constantFrom(...valid),
        fc.oneof(
          fc.record({ op: fc.constant('flip' as const), at: fc.nat(), xor: fc.integer({ min: 1, max: 255 }) }),
          fc.record({ op: fc.constant('cut' as const), at: fc.nat() }),
          fc.record({ op: fc.constant('add' as const), extra: fc.uint8Array({ minLength: 1, maxLength: 8 }) }),
        ),
        (bytes, m) => {
          let mutated: Uint8Array;
          if (m.op === 'flip') {
            mutated = Uint8Array.from(bytes);
            mutated[m.at % bytes.length] ^= m.xor;
          } else if (m.op === 'cut') mutated = bytes.slice(0, m.at % bytes.length);
          else mutated = Uint8Array.from([...bytes, ...m.extra]);
          const r = decodeCode(mutated);
          if (typeof r === 'string') expect(r).toMatch(/^(not-cbor|not-canonical|bad-shape|too-large)$/);
          else expect(openMessage(bob, r, T0).ok).toBe(false);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('Scenario: oversized, streamed or non-canonical payloads are refused', () => {
    expect(decodeCode(new Uint8Array(MAX_ENVELOPE_BYTES + 1))).toBe('too-large');
    const bytes = encodeEnvelope(samples[0].envelope);
    expect(bytes[0]).toBe(0x85);
    // The same array with a non-minimal version integer (0x18 0x01 instead of 0x01).
    expect(decodeCode(Uint8Array.from([0x85, 0x18, 0x01, ...bytes.slice(2)]))).toBe('not-canonical');
    // Indefinite-length array.
    expect(decodeCode(Uint8Array.from([0x9f, ...bytes.slice(1), 0xff]))).toBe('not-cbor');
    const e = samples[0].envelope;
    expect(decodeCode(encode([2, new Uint8Array(32), new Uint8Array(32), new Uint8Array(24), new Uint8Array(272)]))).toBe('bad-shape');
    expect(decodeCode(encode([1, e.to, e.epk, e.nonce, e.ct]))).toBe('bad-shape');
    expect(decodeCode(encode({ v: 1 }))).toBe('bad-shape');
    expect(() => encodeEnvelope({ ...e, ct: 'AAAA' })).toThrow(EnvelopeCodecError);
  });
});
