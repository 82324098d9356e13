import fc from 'fast-check';
import nacl from 'tweetnacl';
import { describe, expect, it } from 'vitest';
import { fromBase64Url, toBase64Url, utf8 } from '../../../src/core/crypto/encoding.ts';
import { signRecord } from '../../../src/core/crypto/sign.ts';
import { inboxEndpoint, MAX_AGE_MS, MAX_FUTURE_MS, MAX_TEXT_CHARS, openMessage, sealMessage, sealReceipt, type Envelope, type Message } from '../../../src/core/messaging/index.ts';
import { alice, bob, carol, recipientOf, sealRaw, T0 } from './helpers.ts';

function contains(haystack: Uint8Array, needle: Uint8Array): boolean {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}

describe('sealed one-to-one messages', () => {
  it('Scenario: only the recipient can open a message, and learns who wrote it', () => {
    const { envelope, message } = sealMessage(alice, recipientOf(bob), { kind: 'text', text: 'Water at the north well is safe again' }, T0);
    const opened = openMessage(bob, JSON.parse(JSON.stringify(envelope)), T0 + 1000);
    expect(opened).toEqual({ ok: true, message });
    if (!opened.ok) return;
    expect(opened.message.author).toBe(alice.agentId);
    expect(opened.message.body).toEqual({ kind: 'text', text: 'Water at the north well is safe again' });
    expect(openMessage(carol, envelope, T0)).toEqual({ ok: false, reason: 'wrong-recipient' });
    // Carol pretending to be Bob on the envelope still cannot open it.
    expect(openMessage(carol, { ...envelope, to: carol.agentId }, T0)).toEqual({ ok: false, reason: 'tampered' });
    expect(inboxEndpoint(bob.agentId)).toBe(`dtn://${bob.agentId}/~inbox`);
  });

  it('Scenario: a relay learns nothing beyond the recipient', () => {
    const text = 'Meet at the clinic back door at 9';
    const a = sealMessage(alice, recipientOf(bob), { kind: 'text', text }, T0);
    const b = sealMessage(alice, recipientOf(bob), { kind: 'text', text }, T0);
    for (const { envelope } of [a, b]) {
      expect(Object.keys(envelope).sort()).toEqual(['ct', 'epk', 'nonce', 'to', 'v']);
      expect(envelope.to).toBe(bob.agentId);
      const all = utf8.encode(JSON.stringify(envelope));
      for (const secret of [utf8.encode(alice.agentId), alice.signPublicKey, alice.boxPublicKey, utf8.encode(toBase64Url(alice.boxPublicKey)), utf8.encode(text), utf8.encode('clinic')]) {
        expect(contains(all, secret)).toBe(false);
        expect(contains(fromBase64Url(envelope.ct), secret)).toBe(false);
      }
    }
    // Nothing links two messages from the same sender: fresh ephemeral key and nonce each time.
    expect(a.envelope.epk).not.toBe(b.envelope.epk);
    expect(a.envelope.nonce).not.toBe(b.envelope.nonce);
    expect(a.envelope.epk).not.toBe(toBase64Url(alice.boxPublicKey));
  });

  it('Scenario: a receipt and a short text look the same size to a relay', () => {
    const text = sealMessage(alice, recipientOf(bob), { kind: 'text', text: 'ok' }, T0);
    const receipt = sealReceipt(bob, text.message, T0);
    expect(receipt.envelope.ct.length).toBe(text.envelope.ct.length);
    const short = fromBase64Url(text.envelope.ct).length - 16;
    expect(short % 256).toBe(0);
    // Lengths show only in 256-byte steps.
    const lens = ['a', 'ab', 'abcdefghij'.repeat(5)].map((t) => sealMessage(alice, recipientOf(bob), { kind: 'text', text: t }, T0).envelope.ct.length);
    expect(new Set(lens).size).toBe(1);
    const long = sealMessage(alice, recipientOf(bob), { kind: 'text', text: 'x'.repeat(1000) }, T0);
    expect((fromBase64Url(long.envelope.ct).length - 16) % 256).toBe(0);
  });

  it('Scenario: a message re-sealed by its recipient to a third person is refused as wrong recipient', () => {
    const { envelope } = sealMessage(alice, recipientOf(bob), { kind: 'text', text: 'for Bob only' }, T0);
    const opened = openMessage(bob, envelope, T0);
    if (!opened.ok) throw new Error('setup');
    const forwarded = sealRaw(opened.message, carol);
    expect(openMessage(carol, forwarded, T0)).toEqual({ ok: false, reason: 'wrong-recipient' });
  });

  it('Scenario: altered ciphertext, nonce or ephemeral key is refused as tampered', () => {
    const { envelope } = sealMessage(alice, recipientOf(bob), { kind: 'text', text: 'hello' }, T0);
    fc.assert(
      fc.property(fc.constantFrom('ct', 'nonce', 'epk'), fc.nat(), fc.integer({ min: 1, max: 255 }), (field: 'ct' | 'nonce' | 'epk', at, xor) => {
        const bytes = Uint8Array.from(fromBase64Url(envelope[field]));
        bytes[at % bytes.length] ^= xor;
        const r = openMessage(bob, { ...envelope, [field]: toBase64Url(bytes) }, T0);
        expect(r).toEqual({ ok: false, reason: 'tampered' });
      }),
      { numRuns: 200 },
    );
  });

  it('Scenario: an ephemeral key with its ignored top bit set is refused as tampered', () => {
    // X25519 masks bit 255, so this second spelling of the same key would otherwise open (found by the property above).
    const { envelope } = sealMessage(alice, recipientOf(bob), { kind: 'text', text: 'hello' }, T0);
    const epk = Uint8Array.from(fromBase64Url(envelope.epk));
    epk[31] ^= 0x80;
    expect(openMessage(bob, { ...envelope, epk: toBase64Url(epk) }, T0)).toEqual({ ok: false, reason: 'tampered' });
  });

  it('Scenario: a message signed by someone other than its author is refused as bad signature', () => {
    const { message } = sealMessage(alice, recipientOf(bob), { kind: 'text', text: 'original' }, T0);
    // Mallory (Carol) writes as Alice: her own key signs a record naming Alice as author.
    const { sig: _sig, ...unsigned } = message;
    const forged = signRecord<Message>({ ...unsigned, author: alice.agentId, body: { kind: 'text', text: 'send the keys to Carol' } }, carol.signSecretKey);
    expect(openMessage(bob, sealRaw(forged, bob), T0)).toEqual({ ok: false, reason: 'bad-signature' });
    // Any change to a signed record breaks it.
    expect(openMessage(bob, sealRaw({ ...message, created: message.created + 1 }, bob), T0)).toEqual({ ok: false, reason: 'bad-signature' });
    expect(openMessage(bob, sealRaw({ ...message, body: { kind: 'text', text: 'altered' } }, bob), T0)).toEqual({ ok: false, reason: 'bad-signature' });
    // Bad inner shapes are malformed, not crashes.
    for (const inner of [null, 'x', [], { ...message, extra: 1 }, { ...message, type: 'intent' }, { ...message, body: { kind: 'text', text: '' } }]) {
      expect(openMessage(bob, sealRaw(inner, bob), T0)).toEqual({ ok: false, reason: 'malformed' });
    }
  });

  it('Scenario: a sender the directory does not know is refused when a lookup is given', () => {
    const { envelope } = sealMessage(alice, recipientOf(bob), { kind: 'text', text: 'hi' }, T0);
    const known = new Set([carol.agentId]);
    expect(openMessage(bob, envelope, T0, { lookupSender: (id) => known.has(id) })).toEqual({ ok: false, reason: 'unknown-sender' });
    const throwing = () => {
      throw new Error('db closed');
    };
    expect(openMessage(bob, envelope, T0, { lookupSender: throwing })).toEqual({ ok: false, reason: 'unknown-sender' });
    known.add(alice.agentId);
    expect(openMessage(bob, envelope, T0, { lookupSender: (id) => known.has(id) }).ok).toBe(true);
  });

  it('Scenario: messages older than 30 days or more than a day in the future are refused', () => {
    const { envelope } = sealMessage(alice, recipientOf(bob), { kind: 'text', text: 'hi' }, T0);
    expect(openMessage(bob, envelope, T0 + MAX_AGE_MS).ok).toBe(true);
    expect(openMessage(bob, envelope, T0 + MAX_AGE_MS + 1)).toEqual({ ok: false, reason: 'too-old' });
    expect(openMessage(bob, envelope, T0 - MAX_FUTURE_MS).ok).toBe(true);
    expect(openMessage(bob, envelope, T0 - MAX_FUTURE_MS - 1)).toEqual({ ok: false, reason: 'from-future' });
    expect(openMessage(bob, envelope, T0 + 2 * MAX_AGE_MS, { maxAgeMs: 3 * MAX_AGE_MS }).ok).toBe(true);
  });

  it('Scenario: opening never throws, whatever arrives', () => {
    const { envelope } = sealMessage(alice, recipientOf(bob), { kind: 'text', text: 'hi' }, T0);
    fc.assert(
      fc.property(fc.anything(), (junk) => {
        const r = openMessage(bob, junk, T0);
        expect(r.ok).toBe(false);
      }),
    );
    const field = fc.oneof(fc.string(), fc.base64String(), fc.constant(''), fc.integer(), fc.constant(null));
    fc.assert(
      fc.property(fc.constantFrom<keyof Envelope>('v', 'to', 'epk', 'nonce', 'ct'), field, (key, value) => {
        const r = openMessage(bob, { ...envelope, [key]: value }, T0);
        if (r.ok) expect(r.message.author).toBe(alice.agentId);
        else expect(['malformed', 'wrong-recipient', 'tampered']).toContain(r.reason);
      }),
    );
  });

  it('Scenario: a text over 4,000 characters is refused at sealing', () => {
    expect(() => sealMessage(alice, recipientOf(bob), { kind: 'text', text: 'x'.repeat(MAX_TEXT_CHARS + 1) }, T0)).toThrow(RangeError);
    expect(() => sealMessage(alice, recipientOf(bob), { kind: 'text', text: '' }, T0)).toThrow(RangeError);
    expect(() => sealMessage(alice, { agentId: bob.agentId, boxKey: 'nope' }, { kind: 'text', text: 'x' }, T0)).toThrow(RangeError);
    // The longest text, of the widest JSON escapes, still fits.
    const worst = sealMessage(alice, recipientOf(bob), { kind: 'text', text: '\u0001'.repeat(MAX_TEXT_CHARS) }, T0);
    expect(openMessage(bob, worst.envelope, T0).ok).toBe(true);
    expect(nacl.box.overheadLength).toBe(16);
  });
});
