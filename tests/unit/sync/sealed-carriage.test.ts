import fc from 'fast-check';
import nacl from 'tweetnacl';
import { describe, expect, it } from 'vitest';
import {
  carriageOpener,
  carriageRecipient,
  CarriageSealError,
  isSealedCarriage,
  MAX_CARRIAGE_RECIPIENTS,
  openCarriage,
  sealCarriage,
} from '../../../src/core/sync/sealed-carriage.ts';
import { nodeX25519 } from '../../../relay/x25519.ts';

// openspec/changes/sealed-carriage — change-sets leave a relay sealed to its community's relay keys.

/** A relay key as relay-key.json holds it (tweetnacl ed25519 pair), with its carriage forms. */
function relayKey(seed: Uint8Array) {
  const pair = nacl.sign.keyPair.fromSeed(seed);
  return { opener: carriageOpener(pair.secretKey), recipient: carriageRecipient(pair.publicKey)! };
}

// The relay's x25519 (tweetnacl's costs milliseconds a step; tests/unit/relay/x25519.test.ts shows both agree).
const dh = nodeX25519();
// Relay keys made once (ed25519 key generation dominates otherwise); runs pick a listed subset and an outsider.
const POOL = Array.from({ length: 10 }, (_, i) => relayKey(nacl.randomBytes(32).map((b) => b ^ i)));
const listedAndOutsider = fc.uniqueArray(fc.integer({ min: 0, max: POOL.length - 1 }), { minLength: 2, maxLength: 8 }).map((ix) => ({ listed: ix.slice(1).map((i) => POOL[i]), outsider: POOL[ix[0]] }));

describe('sealed carriage', () => {
  it('Scenario: any byte mutation of a sealed change-set is refused, a key not on the list cannot open it, and every listed key can', () => {
    fc.assert(
      fc.property(listedAndOutsider, fc.uint8Array({ minLength: 1, maxLength: 2048 }), fc.nat(), fc.integer({ min: 1, max: 255 }), ({ listed: relays, outsider }, payload, at, flip) => {
        const sealed = sealCarriage(payload, relays.map((r) => r.recipient), dh);
        expect(isSealedCarriage(sealed)).toBe(true);
        // Every listed relay opens it to the same bytes.
        for (const r of relays) expect(openCarriage(sealed, r.opener, dh)).toEqual({ ok: true, payload });
        // A relay the list does not name cannot.
        expect(openCarriage(sealed, outsider.opener, dh)).toEqual({ ok: false, reason: 'not-for-us' });
        // One changed byte anywhere (header, any wrap, box) is refused by every listed relay.
        const bad = sealed.slice();
        bad[at % bad.length] ^= flip;
        for (const r of relays) expect(openCarriage(bad, r.opener, dh).ok).toBe(false);
        // So is a cut or an extension.
        for (const r of relays) {
          expect(openCarriage(sealed.subarray(0, sealed.length - 1 - (at % sealed.length)), r.opener, dh).ok).toBe(false);
          expect(openCarriage(new Uint8Array([...sealed, flip]), r.opener, dh).ok).toBe(false);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('Scenario: sealed carriage shows a carrier no byte of the payload and no relay key', () => {
    const relays = [relayKey(new Uint8Array(32).fill(1)), relayKey(new Uint8Array(32).fill(2))];
    const text = new TextEncoder().encode('Marisol, Calle Sol 4, vouched by Ana: '.repeat(20));
    const sealed = Buffer.from(sealCarriage(text, relays.map((r) => r.recipient)));
    expect(sealed.includes(Buffer.from('Marisol'))).toBe(false);
    for (const r of relays) expect(sealed.includes(Buffer.from(r.recipient))).toBe(false);
    // Two seals of the same payload share nothing but the layout: a fresh key per payload.
    const again = Buffer.from(sealCarriage(text, relays.map((r) => r.recipient)));
    expect(again.subarray(5, 37).equals(sealed.subarray(5, 37))).toBe(false);
  });

  it('Scenario: arbitrary bytes never make the opener throw', () => {
    const r = relayKey(new Uint8Array(32).fill(3));
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), fc.boolean(), (bytes, withMagic) => {
        const input = withMagic ? new Uint8Array([0x73, 0x65, 0x61, 0x6c, 1, ...bytes]) : bytes;
        expect(openCarriage(input, r.opener, dh).ok).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  it('Scenario: a list with no usable relay key, or too many, is refused when sealing', () => {
    expect(carriageRecipient(new Uint8Array(32).fill(0xff))).toBeNull(); // no ed25519 point
    expect(carriageRecipient(new Uint8Array(31))).toBeNull();
    // A low-order x25519 key (u = 0) gives no shared secret, so it is left out.
    const lowOrder = new Uint8Array(32);
    expect(() => sealCarriage(new Uint8Array([1]), [lowOrder])).toThrow(CarriageSealError);
    expect(() => sealCarriage(new Uint8Array([1]), [])).toThrow(/no usable relay key/);
    const many = Array.from({ length: MAX_CARRIAGE_RECIPIENTS + 1 }, (_, i) => relayKey(new Uint8Array(32).fill(i + 10)).recipient);
    expect(() => sealCarriage(new Uint8Array([1]), many)).toThrow(/at most 64/);
    // A repeated key is sealed to once.
    const one = relayKey(new Uint8Array(32).fill(4));
    const sealed = sealCarriage(new Uint8Array([1]), [one.recipient, one.recipient]);
    expect(sealed[37]).toBe(1);
    expect(openCarriage(sealed, one.opener)).toEqual({ ok: true, payload: new Uint8Array([1]) });
  });
});
