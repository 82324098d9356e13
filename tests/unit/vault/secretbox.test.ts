import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { openBytes, openJson, sealBytes, sealJson, VaultError } from '../../../src/core/vault/index.ts';
import { seeded } from './helpers.ts';

function codeOf(f: () => unknown): string | undefined {
  try {
    f();
    return undefined;
  } catch (e) {
    return e instanceof VaultError ? e.code : `untyped: ${String(e)}`;
  }
}

describe('sealed fields', () => {
  const key = seeded(1)(32);

  it('Scenario: sealed bytes and JSON round-trip under the data key', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), (bytes) => {
        expect(openBytes(key, sealBytes(key, bytes))).toEqual(bytes);
      }),
    );
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(openJson(key, sealJson(key, value))).toEqual(JSON.parse(JSON.stringify(value)));
      }),
    );
  });

  it('Scenario: the same value sealed twice looks different (fresh nonce)', () => {
    const a = sealJson(key, { pin: 'x' });
    const b = sealJson(key, { pin: 'x' });
    expect(a).not.toEqual(b);
  });

  it('Scenario: altered bytes, another key or garbage are typed errors', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.nat(), (bytes, at) => {
        const sealed = sealBytes(key, bytes);
        const altered = Uint8Array.from(sealed);
        altered[at % altered.length] ^= 1 << at % 8;
        expect(codeOf(() => openBytes(key, altered))).toBe('tampered');
      }),
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (garbage) => {
        expect(codeOf(() => openBytes(key, garbage))).toMatch(/^(malformed|tampered)$/);
        expect(codeOf(() => openJson(key, garbage))).toMatch(/^(malformed|tampered)$/);
      }),
    );
    expect(codeOf(() => openBytes(seeded(2)(32), sealBytes(key, new Uint8Array(5))))).toBe('tampered');
    expect(codeOf(() => openBytes(new Uint8Array(16), sealBytes(key, new Uint8Array(5))))).toBe('wrong-key');
    expect(codeOf(() => openJson(key, sealBytes(key, new Uint8Array([0xff, 0xfe]))))).toBe('malformed');
  });
});
