import fc from 'fast-check';
import nacl from 'tweetnacl';
import { describe, expect, it } from 'vitest';
import { nodeX25519 } from '../../../relay/x25519.ts';
import { carriageOpener, carriageRecipient, naclX25519, openCarriage, sealCarriage } from '../../../src/core/sync/sealed-carriage.ts';

// openspec/changes/sealed-carriage — the relay's node:crypto x25519 gives tweetnacl's answers.

const bytes32 = fc.uint8Array({ minLength: 32, maxLength: 32 });
const isZero = (b: Uint8Array) => b.every((x) => x === 0);

/** Either x25519 answer for "no shared secret": zero bytes (tweetnacl) or a throw (OpenSSL). */
function sharedOf(dh: typeof naclX25519, s: Uint8Array, p: Uint8Array): Uint8Array | null {
  try {
    const r = dh.shared(s, p);
    return isZero(r) ? null : r;
  } catch {
    return null;
  }
}

describe('x25519 for sealed carriage', () => {
  it('Scenario: the relay’s node:crypto x25519 gives the same keys and shared secrets as tweetnacl, low-order keys included', () => {
    const node = nodeX25519();
    const lowOrder = [new Uint8Array(32), new Uint8Array([1, ...new Uint8Array(31)])];
    fc.assert(
      fc.property(bytes32, bytes32, fc.boolean(), (secret, other, low) => {
        expect(node.publicOf(secret)).toEqual(naclX25519.publicOf(secret));
        const fresh = node.generate!(); // the pair a seal's ephemeral key comes from
        expect(naclX25519.publicOf(fresh.secretKey)).toEqual(fresh.publicKey);
        const pub = low ? lowOrder[secret[0] % 2] : other;
        expect(sharedOf(node, secret, pub)).toEqual(sharedOf(naclX25519, secret, pub));
      }),
      { numRuns: 60 },
    );
  });

  it('Scenario: a payload sealed with one x25519 opens with the other', () => {
    const node = nodeX25519();
    fc.assert(
      fc.property(bytes32, fc.uint8Array({ minLength: 1, maxLength: 256 }), (seed, payload) => {
        const k = nacl.sign.keyPair.fromSeed(seed);
        const to = [carriageRecipient(k.publicKey)!];
        const opener = carriageOpener(k.secretKey);
        expect(openCarriage(sealCarriage(payload, to, node), opener, naclX25519)).toEqual({ ok: true, payload });
        expect(openCarriage(sealCarriage(payload, to, naclX25519), opener, node)).toEqual({ ok: true, payload });
      }),
      { numRuns: 20 },
    );
  });
});
