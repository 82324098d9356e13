import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { en } from '../../../src/app/i18n/en.ts';
import { es } from '../../../src/app/i18n/es.ts';
import { decodeInvite, encodeInvite } from '../../../src/core/protocol/invite.ts';
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

describe('invites', () => {
  it('Scenario: an invite round-trips and garbage is refused', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[1-9A-HJ-NP-Za-km-z]{28}$/), fc.string({ unit: 'grapheme', maxLength: 20 }), (id, name) => {
        expect(decodeInvite(encodeInvite({ url: `automerge:${id}`, name }))).toEqual({ url: `automerge:${id}`, name });
      }),
    );
    fc.assert(
      fc.property(fc.string(), (s) => {
        expect(decodeInvite(s)).toBeNull();
      }),
    );
    expect(decodeInvite('spm-invite:' + btoa('{"u":"http://evil"}'))).toBeNull();
  });

  it('Scenario: an invite names who gave it, and a malformed inviter is dropped', () => {
    const url = 'automerge:2j9knpCseyhnK8izDmLpGP5WMdZQ';
    const inviter = 'A'.repeat(43);
    expect(decodeInvite(encodeInvite({ url, name: 'Garden', inviter }))).toEqual({ url, name: 'Garden', inviter });
    const bad = 'spm-invite:' + btoa(JSON.stringify({ u: url, n: 'Garden', i: '<script>' })).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
    expect(decodeInvite(bad)).toEqual({ url, name: 'Garden' });
  });
});

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
