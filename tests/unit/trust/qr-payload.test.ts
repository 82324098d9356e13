import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromBase64Url, toBase64Url, utf8 } from '../../../src/core/crypto/encoding.ts';
import { createIdentity, type Identity } from '../../../src/core/crypto/keys.ts';
import { signRecord } from '../../../src/core/crypto/sign.ts';
import type { Profile } from '../../../src/core/model/types.ts';
import { decodeContactCard, encodeContactCard, MAX_QR_CHARS, QR_PREFIX, QrPayloadError, type QrErrorCode } from '../../../src/core/trust/index.ts';
import { thrownCode } from '../../helpers/thrown-code.ts';

const profileOf = (id: Identity, name: string): Profile =>
  signRecord<Profile>({ type: 'profile', author: id.agentId, name, boxKey: toBase64Url(id.boxPublicKey), created: 1 }, id.signSecretKey);

const alice = createIdentity();
const FEED = 'automerge:2j9knpCseyhnK8izDmLpGP5WMdZQ';
const code = encodeContactCard(alice, profileOf(alice, 'Alice'), FEED, 'garden-street', 1000);

const codeOf = (text: string): QrErrorCode | 'ok' => thrownCode(QrPayloadError, () => decodeContactCard(text)) ?? 'ok';

const reencode = (mutate: (card: Record<string, unknown>) => void): string => {
  const card = JSON.parse(utf8.decode(fromBase64Url(code.slice(QR_PREFIX.length))));
  mutate(card);
  return QR_PREFIX + toBase64Url(utf8.encode(JSON.stringify(card)));
};

describe('"My code" payload', () => {
  it('Scenario: a contact card round-trips through the code', () => {
    expect(code.startsWith('spm1:')).toBe(true);
    expect(code.length).toBeLessThanOrEqual(MAX_QR_CHARS);
    const card = decodeContactCard(code);
    expect(card.author).toBe(alice.agentId);
    expect(card.profile.name).toBe('Alice');
    expect(card.feedUrl).toBe(FEED);
    expect(decodeContactCard(`  ${code}\n`).community).toBe('garden-street'); // pasted with whitespace
  });

  it('Scenario: a tampered code is rejected', () => {
    expect(codeOf(reencode((c) => (c.feedUrl = 'automerge:attackerFeed')))).toBe('bad-signature');
    expect(codeOf(reencode((c) => ((c.profile as Profile).name = 'Mallory')))).toBe('bad-signature');
    const mallory = createIdentity();
    const swapped = encodeContactCardUnchecked(mallory, profileOf(alice, 'Alice'));
    expect(codeOf(swapped)).toBe('key-mismatch');
    // Any single-character change is caught, never accepted and never an untyped crash.
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    fc.assert(
      fc.property(fc.integer({ min: QR_PREFIX.length, max: code.length - 1 }), fc.constantFrom(...alphabet), (i, ch) => {
        fc.pre(code[i] !== ch);
        const result = codeOf(code.slice(0, i) + ch + code.slice(i + 1));
        // The last base64url character can carry unused low bits: a change there may decode to the same bytes.
        if (i === code.length - 1 && result === 'ok') return;
        expect(result).not.toBe('ok');
      }),
      { numRuns: 300 },
    );
  });

  it('Scenario: wrong prefix, oversized and damaged codes are typed errors', () => {
    expect(codeOf(code.replace('spm1:', 'spm2:'))).toBe('wrong-prefix');
    expect(codeOf('https://example.org')).toBe('wrong-prefix');
    expect(codeOf(QR_PREFIX + 'A'.repeat(MAX_QR_CHARS))).toBe('oversized');
    expect(codeOf(QR_PREFIX + '!!!')).toBe('not-base64url');
    expect(codeOf(QR_PREFIX + toBase64Url(utf8.encode('{not json')))).toBe('not-json');
    expect(codeOf(QR_PREFIX + toBase64Url(utf8.encode('[1,2]')))).toBe('bad-shape');
    expect(codeOf(reencode((c) => (c.feedUrl = 'https://evil.example')))).toBe('bad-shape');
  });

  it('Scenario: arbitrary pasted text never crashes the decoder (property)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string().map((s) => QR_PREFIX + s), fc.jsonValue().map((j) => QR_PREFIX + toBase64Url(utf8.encode(JSON.stringify(j))))), (text) => {
        expect(codeOf(text)).not.toBe('ok');
      }),
      { numRuns: 500 },
    );
  });
});

/** A card signed by one key carrying another key's (validly signed) profile. */
function encodeContactCardUnchecked(signer: Identity, profile: Profile): string {
  const card = signRecord({ type: 'contact-card', author: signer.agentId, profile, feedUrl: FEED, community: 'c', created: 1 } as never, signer.signSecretKey);
  return QR_PREFIX + toBase64Url(utf8.encode(JSON.stringify(card)));
}
