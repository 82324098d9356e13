import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import nacl from 'tweetnacl';
import { secretbox, secretboxOpen, SECRETBOX_KEY_BYTES, SECRETBOX_NONCE_BYTES, SECRETBOX_OVERHEAD } from '../../../src/core/crypto/secretbox.ts';

// openspec/changes/first-list: every secretbox goes through core/crypto/secretbox.ts; it keeps NaCl's bytes and never throws on opening.
const key = fc.uint8Array({ minLength: SECRETBOX_KEY_BYTES, maxLength: SECRETBOX_KEY_BYTES });
const nonce = fc.uint8Array({ minLength: SECRETBOX_NONCE_BYTES, maxLength: SECRETBOX_NONCE_BYTES });
const message = fc.uint8Array({ maxLength: 1024 });

describe('secretbox (XSalsa20-Poly1305), the one module the app seals with', () => {
  it('has tweetnacl’s sizes', () => {
    expect([SECRETBOX_KEY_BYTES, SECRETBOX_NONCE_BYTES, SECRETBOX_OVERHEAD]).toEqual([nacl.secretbox.keyLength, nacl.secretbox.nonceLength, nacl.secretbox.overheadLength]);
  });

  it('Scenario: a box sealed by an older version (tweetnacl) opens, and a new box opens with tweetnacl', () => {
    fc.assert(
      fc.property(key, nonce, message, (k, n, m) => {
        const ours = secretbox(m, n, k);
        const theirs = nacl.secretbox(m, n, k);
        expect(ours).toEqual(theirs);
        expect(secretboxOpen(theirs, n, k)).toEqual(m);
        expect(nacl.secretbox.open(ours, n, k)).toEqual(m);
      }),
      { numRuns: 100 },
    );
  });

  it('refuses what tweetnacl refuses: any flipped bit, another key, a short box, wrong sizes (null, never a throw)', () => {
    fc.assert(
      fc.property(key, nonce, message, fc.nat(), fc.integer({ min: 0, max: 7 }), (k, n, m, at, bit) => {
        const box = secretbox(m, n, k);
        const bad = box.slice();
        bad[at % bad.length] ^= 1 << bit;
        expect(secretboxOpen(bad, n, k)).toBeNull();
        expect(nacl.secretbox.open(bad, n, k)).toBeNull();
        const other = k.slice();
        other[0] ^= 1;
        expect(secretboxOpen(box, n, other)).toBeNull();
        expect(secretboxOpen(box.subarray(0, SECRETBOX_OVERHEAD - 1), n, k)).toBeNull();
        expect(secretboxOpen(box, n.subarray(1), k)).toBeNull();
        expect(secretboxOpen(box, n, k.subarray(1))).toBeNull();
      }),
      { numRuns: 100 },
    );
  });
});
