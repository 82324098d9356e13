import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toBase64Url } from '../../../src/core/crypto/encoding.ts';
import { createIdentity } from '../../../src/core/crypto/keys.ts';
import { FINGERPRINT_EMOJI, FINGERPRINT_WORDS, FINGERPRINT_WORDS_ES, FingerprintError, fingerprintEmoji, fingerprintWords } from '../../../src/core/trust/index.ts';

describe('key fingerprints', () => {
  it('Scenario: the fingerprint is the first bytes of SHA-256 of the key, as words', () => {
    // SHA-256 of 32 zero bytes = 66687aad f862bd77 …
    const zero = toBase64Url(new Uint8Array(32));
    expect(fingerprintWords(zero)).toEqual([0x66, 0x68, 0x7a, 0xad, 0xf8, 0x62].map((b) => FINGERPRINT_WORDS[b]));
    expect(fingerprintEmoji(zero, 2)).toEqual([FINGERPRINT_EMOJI[0x66 & 63], FINGERPRINT_EMOJI[0x68 & 63]]);
    expect(new Set(FINGERPRINT_WORDS).size).toBe(256);
    // Spanish readers get Spanish words in the same places: one word per byte, all distinct, no spaces.
    expect(fingerprintWords(zero, 6, FINGERPRINT_WORDS_ES)).toEqual([0x66, 0x68, 0x7a, 0xad, 0xf8, 0x62].map((b) => FINGERPRINT_WORDS_ES[b]));
    expect(new Set(FINGERPRINT_WORDS_ES).size).toBe(256);
    expect(FINGERPRINT_WORDS_ES.every((w) => /^\p{Ll}+$/u.test(w))).toBe(true);
    expect(new Set(FINGERPRINT_EMOJI).size).toBe(64);
  });

  it('Scenario: the same key always gives the same fingerprint', () => {
    const id = createIdentity();
    expect(fingerprintWords(id.agentId)).toEqual(fingerprintWords(id.agentId));
    expect(fingerprintEmoji(id.agentId)).toEqual(fingerprintEmoji(id.agentId));
    expect(fingerprintWords(id.agentId)).toHaveLength(6);
  });

  it('Scenario: different keys give different fingerprints (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.uint8Array({ minLength: 32, maxLength: 32 }), (a, b) => {
        fc.pre(toBase64Url(a) !== toBase64Url(b));
        expect(fingerprintWords(toBase64Url(a)).join(' ')).not.toBe(fingerprintWords(toBase64Url(b)).join(' '));
      }),
      { numRuns: 500 },
    );
  });

  it('Scenario: something that is not a public key has no fingerprint', () => {
    for (const bad of ['', 'abc', 'not base64!', toBase64Url(new Uint8Array(31))]) expect(() => fingerprintWords(bad)).toThrow(FingerprintError);
  });
});
