import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { en } from '../../../src/app/i18n/en.ts';
import { es } from '../../../src/app/i18n/es.ts';
import { canonicalJson } from '../../../src/core/crypto/canonical.ts';

describe('translations', () => {
  it('Scenario: Spanish has every English key, with the same placeholders', () => {
    expect(Object.keys(es).sort()).toEqual(Object.keys(en).sort());
    for (const k of Object.keys(en) as Array<keyof typeof en>) {
      const ph = (s: string) => (s.match(/\{\w+\}/g) ?? []).sort();
      expect(ph(es[k]), k).toEqual(ph(en[k]));
    }
  });
});

// Invites: tests/unit/protocol/invite.test.ts (the format lives in src/core/protocol).

describe('canonical JSON', () => {
  it('Scenario: key order never changes what is signed', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.oneof(fc.string(), fc.integer(), fc.boolean())), (o) => {
        const reversed = Object.fromEntries(Object.entries(o).reverse());
        expect(canonicalJson(reversed)).toBe(canonicalJson(o));
      }),
    );
  });
});

describe('base64url', () => {
  it('Scenario: only the canonical spelling decodes, so a signature cannot be respelled', async () => {
    const { fromBase64Url, toBase64Url } = await import('../../../src/core/crypto/encoding.ts');
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), (bytes) => {
        expect(fromBase64Url(toBase64Url(bytes))).toEqual(bytes);
      }),
    );
    expect(toBase64Url(new Uint8Array([0]))).toBe('AA');
    expect(() => fromBase64Url('AB')).toThrow(/canonical/); // same byte, different unused bits
    expect(() => fromBase64Url('A')).toThrow();
  });
});
