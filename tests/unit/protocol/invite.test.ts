import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../relay/config.ts';
import { toBase64Url, utf8 } from '../../../src/core/crypto/encoding.ts';
import { isAutomergeUrl } from '../../../src/core/protocol/automerge-url.ts';
import { decodeInvite, encodeInvite, INVITE_PREFIX, type Invite } from '../../../src/core/protocol/invite.ts';
import { activeInviteHashes, inviteSecretHash, newInviteSecret } from '../../../src/core/protocol/invite-secret.ts';

// openspec/specs/web-of-trust (invites) — one invite format for the phone that shows it and the relay that joins with it
const docId = fc.stringMatching(/^[1-9A-HJ-NP-Za-km-z]{20,60}$/);
const agentId = fc.stringMatching(/^[A-Za-z0-9_-]{43}$/);
const raw = (o: unknown): string => INVITE_PREFIX + toBase64Url(utf8.encode(JSON.stringify(o)));

describe('invites', () => {
  it('Scenario: an invite round-trips and garbage is refused', () => {
    fc.assert(
      fc.property(docId, fc.string({ unit: 'grapheme', maxLength: 80 }), fc.option(agentId, { nil: undefined }), fc.option(agentId, { nil: undefined }), (id, name, inviter, founder) => {
        const inv: Invite = { url: `automerge:${id}`, name, ...(inviter ? { inviter } : {}), ...(founder ? { founder } : {}) };
        expect(decodeInvite(encodeInvite(inv))).toEqual(inv);
        // Pasted with stray whitespace around it, as chat apps do.
        expect(decodeInvite(`  ${encodeInvite(inv)}\n`)).toEqual(inv);
      }),
    );
    fc.assert(
      fc.property(fc.string(), (s) => {
        expect(decodeInvite(s)).toBeNull();
      }),
    );
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        const d = decodeInvite(raw(v));
        if (d !== null) expect(isAutomergeUrl(d.url)).toBe(true);
        if (d?.founder !== undefined) expect(d.founder).toMatch(/^[A-Za-z0-9_-]{43}$/);
      }),
    );
    expect(decodeInvite(raw({ u: 'http://evil' }))).toBeNull();
    expect(decodeInvite(raw(null))).toBeNull();
    expect(decodeInvite(`${INVITE_PREFIX}!!`)).toBeNull();
    expect(decodeInvite(raw({ u: 'automerge:2j9knpCseyhnK8izDmLpGP5WMdZQ', n: 'x'.repeat(3000) }))).toBeNull();
  });

  it('Scenario: an invite names who gave it, and a malformed inviter is dropped', () => {
    const url = 'automerge:2j9knpCseyhnK8izDmLpGP5WMdZQ';
    const inviter = 'A'.repeat(43);
    expect(decodeInvite(encodeInvite({ url, name: 'Garden', inviter }))).toEqual({ url, name: 'Garden', inviter });
    expect(decodeInvite(raw({ u: url, n: 'Garden', i: '<script>' }))).toEqual({ url, name: 'Garden' });
    expect(decodeInvite(raw({ u: url, n: 'G'.repeat(200) }))?.name).toBe('G'.repeat(80));
  });

  it('Scenario: an invite names the founder to pin; an old invite without one still reads, and a malformed founder is refused', () => {
    fc.assert(
      fc.property(docId, fc.string({ maxLength: 80 }), agentId, agentId, (id, name, inviter, founder) => {
        const url = `automerge:${id}`;
        // Invites phones showed before they named the founder: still read, with no founder to pin.
        expect(decodeInvite(raw({ u: url, n: name, i: inviter }))).toEqual({ url, name, inviter });
        expect(decodeInvite(raw({ u: url, n: name, i: inviter, f: founder }))).toEqual({ url, name, inviter, founder });
      }),
    );
    // Anything but a well-formed key where the founder goes refuses the whole invite: joining without the
    // pin it was meant to give would silently trust the earliest founding record instead.
    fc.assert(
      fc.property(docId, fc.jsonValue().filter((v) => v !== undefined && !(typeof v === 'string' && /^[A-Za-z0-9_-]{43}$/.test(v))), (id, f) => {
        expect(decodeInvite(raw({ u: `automerge:${id}`, n: 'Garden', f }))).toBeNull();
      }),
    );
    // Any single character changed in the founder of a valid invite yields another key or a refusal, never a silent drop.
    fc.assert(
      fc.property(docId, agentId, fc.nat(42), fc.constantFrom(...'Ab9_-+/=.'), (id, founder, at, ch) => {
        const altered = founder.slice(0, at) + ch + founder.slice(at + 1);
        const d = decodeInvite(raw({ u: `automerge:${id}`, n: 'Garden', f: altered }));
        if (d === null) expect(altered).not.toMatch(/^[A-Za-z0-9_-]{43}$/);
        else expect(d.founder).toBe(altered);
      }),
    );
  });

  it('Scenario: an invite names the founder\'s retirement to hold to; a malformed one is refused', () => {
    const digest = fc.stringMatching(/^[A-Za-z0-9_-]{16}$/);
    fc.assert(
      fc.property(docId, agentId, digest, (id, founder, retirement) => {
        const url = `automerge:${id}`;
        expect(decodeInvite(encodeInvite({ url, name: 'Garden', founder, retirement }))).toEqual({ url, name: 'Garden', founder, retirement });
        expect(decodeInvite(encodeInvite({ url, name: 'Garden', founder }))).toEqual({ url, name: 'Garden', founder });
      }),
    );
    fc.assert(
      fc.property(docId, fc.jsonValue().filter((v) => v !== undefined && !(typeof v === 'string' && /^[A-Za-z0-9_-]{16}$/.test(v))), (id, r) => {
        expect(decodeInvite(raw({ u: `automerge:${id}`, n: 'Garden', r }))).toBeNull();
      }),
    );
    const url = 'automerge:2j9knpCseyhnK8izDmLpGP5WMdZQ';
    expect(parseConfig(['--join', encodeInvite({ url, name: 'Garden', retirement: 'R'.repeat(16) })]).joinPins).toEqual({ [url]: { retirement: 'R'.repeat(16) } });
  });

  it('Scenario: a relay joins a community from the invite code a phone shows', () => {
    const url = 'automerge:2j9knpCseyhnK8izDmLpGP5WMdZQ';
    const cfg = parseConfig(['--join', encodeInvite({ url, name: 'Garden', inviter: 'A'.repeat(43) }), '--join', url]);
    expect(cfg.join).toEqual([url, url]);
    expect(cfg.joinPins).toEqual({});
    // An invite that names the founder: the relay pins it for that community, as a phone does.
    const founder = 'F'.repeat(43);
    expect(parseConfig(['--join', encodeInvite({ url, name: 'Garden', founder })]).joinPins).toEqual({ [url]: { founder } });
    expect(() => parseConfig(['--join', `${INVITE_PREFIX}garbage`])).toThrow(/not a community URL or invite/);
  });

  it('Scenario: an invite link carries a secret that round-trips; old invites without one still decode, a malformed one is refused', () => {
    const secret = fc.stringMatching(/^[A-Za-z0-9_-]{22}$/);
    fc.assert(
      fc.property(docId, fc.string({ maxLength: 80 }), fc.option(agentId, { nil: undefined }), secret, (id, name, founder, s) => {
        const inv: Invite = { url: `automerge:${id}`, name, ...(founder ? { founder } : {}), secret: s };
        expect(decodeInvite(encodeInvite(inv))).toEqual(inv);
        // An invite from before secrets: the same fields without `s` decode as before.
        expect(decodeInvite(raw({ u: inv.url, n: name }))).toEqual({ url: inv.url, name: name.slice(0, 80) });
      }),
    );
    fc.assert(
      fc.property(docId, fc.oneof(fc.string().filter((s) => !/^[A-Za-z0-9_-]{22,64}$/.test(s)), fc.integer(), fc.constant(null)), (id, bad) => {
        expect(decodeInvite(raw({ u: `automerge:${id}`, n: 'Garden', s: bad }))).toBeNull();
      }),
    );
    // Secrets are fresh and their hashes are what the settings list (43 chars, like a key).
    const a = newInviteSecret((n) => new Uint8Array(n).fill(1));
    const b = newInviteSecret((n) => new Uint8Array(n).fill(2));
    expect(a).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(inviteSecretHash(a)).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(inviteSecretHash(a)).not.toBe(inviteSecretHash(b));
    expect(activeInviteHashes({ [inviteSecretHash(a)]: 0, [inviteSecretHash(b)]: 1000 }, 1000)).toEqual([inviteSecretHash(a)]);
    expect(activeInviteHashes(undefined, 0)).toEqual([]);
  });
});
