import fc from 'fast-check';
import nacl from 'tweetnacl';
import { describe, expect, it } from 'vitest';
import { createIdentity, exportIdentity, importIdentity } from '../../../src/core/crypto/keys.ts';

describe('crypto: a stored identity', () => {
  it('Scenario: an identity read back from storage has the same keys, and its box key opens what was sealed to the original', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.uint8Array({ minLength: 32, maxLength: 32 }), (signSeed, boxSecret) => {
        const sign = nacl.sign.keyPair.fromSeed(signSeed);
        const box = nacl.box.keyPair.fromSecretKey(boxSecret);
        const stored = exportIdentity({ agentId: '', signPublicKey: sign.publicKey, signSecretKey: sign.secretKey, boxPublicKey: box.publicKey, boxSecretKey: box.secretKey });
        const back = importIdentity(stored);
        expect(back.signPublicKey).toEqual(sign.publicKey);
        expect(back.boxSecretKey).toEqual(box.secretKey);
        // The box public key is derived on first use; a copy (spread, structured clone) carries the derived value.
        expect(back.boxPublicKey).toEqual(box.publicKey);
        expect(structuredClone({ ...back }).boxPublicKey).toEqual(box.publicKey);
      }),
      { numRuns: 40 },
    );
    const me = createIdentity();
    const other = createIdentity();
    const nonce = nacl.randomBytes(24);
    const sealed = nacl.box(new Uint8Array([1, 2, 3]), nonce, importIdentity(exportIdentity(me)).boxPublicKey, other.boxSecretKey);
    expect(nacl.box.open(sealed, nonce, other.boxPublicKey, importIdentity(exportIdentity(me)).boxSecretKey)).toEqual(new Uint8Array([1, 2, 3]));
  });
});
