import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hash } from '../../../src/platform/fast-sha256.ts';
import { sha256 } from '../../../src/platform/noble-sha256-v1.ts';

/*
 * The phone build swaps automerge-repo's fast-sha256 and bs58check's @noble/hashes 1 for the SHA-256 it
 * already ships (vite.config.ts). Storage keys and document URLs' checksums depend on the digest being
 * the same one, so both stand-ins are held to OpenSSL's.
 */
describe('the SHA-256 stand-ins in the phone build', () => {
  it('Scenario: both stand-ins give the digest automerge-repo and bs58check expect', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2048 }), (bytes) => {
        const want = new Uint8Array(createHash('sha256').update(bytes).digest());
        expect(hash(bytes)).toEqual(want);
        expect(sha256(bytes)).toEqual(want);
      }),
    );
  });
});
