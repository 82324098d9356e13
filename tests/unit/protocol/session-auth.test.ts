import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createIdentity } from '../../../src/core/crypto/keys.ts';
import { fromBase64Url, toBase64Url, utf8 } from '../../../src/core/crypto/encoding.ts';
import {
  buildChallenge,
  challengeFresh,
  CHALLENGE_MAX_AGE_MS,
  inviteProof,
  openSession,
  readChallenge,
  SESSION_DOMAIN,
  SessionAuthError,
  signSession,
} from '../../../src/core/protocol/session-auth.ts';
import { signRecord } from '../../../src/core/crypto/sign.ts';
import { inviteSecretHash } from '../../../src/core/protocol/invite-secret.ts';
import { canonicalJson } from '../../../src/core/crypto/canonical.ts';

// openspec/changes/authenticated-sessions/specs/island-sync/spec.md — the handshake codec
const me = createIdentity();
const mac = (b: Uint8Array) => new Uint8Array(32).map((_, i) => b[i % b.length] ^ 0x5a);
const challenge = buildChallenge(1_800_000_000_000, new Uint8Array(16).fill(7), mac);
const COMMUNITY = '37nz8ZSsnUFknuSjMi8FEmqBco8A';

describe('session handshake codec', () => {
  it('Scenario: a phone signs a challenge and the relay opens it', () => {
    const token = signSession(me, challenge, 'peer-abc', [COMMUNITY]);
    const r = openSession(token);
    expect(r).toMatchObject({ domain: SESSION_DOMAIN, challenge, peer: 'peer-abc', author: me.agentId });
    expect(r.proofs).toEqual([inviteProof(challenge, COMMUNITY)]);
    const c = readChallenge(challenge);
    expect(c.issuedAt).toBe(1_800_000_000_000);
    expect(c.mac).toEqual(mac(c.body).subarray(0, 16));
  });

  it('Scenario: any byte mutation of a valid signed response is refused', () => {
    const token = signSession(me, challenge, 'peer-abc', [COMMUNITY]);
    const wire = utf8.encode(token);
    fc.assert(
      fc.property(fc.nat(wire.length - 1), fc.integer({ min: 1, max: 255 }), (at, flip) => {
        const bad = Uint8Array.from(wire);
        bad[at] ^= flip;
        expect(() => openSession(new TextDecoder().decode(bad))).toThrow(SessionAuthError);
      }),
      { numRuns: 400 },
    );
    // The same on the JSON inside the base64url: every byte is covered by the signature or the shape.
    const inner = fromBase64Url(token);
    fc.assert(
      fc.property(fc.nat(inner.length - 1), fc.integer({ min: 1, max: 255 }), (at, flip) => {
        const bad = Uint8Array.from(inner);
        bad[at] ^= flip;
        expect(() => openSession(toBase64Url(bad))).toThrow(SessionAuthError);
      }),
      { numRuns: 400 },
    );
  });

  it('Scenario: a record signed for something else is not a session', () => {
    // Same fields, other domain: a signature made for another purpose does not open a session.
    const other = signRecord({ domain: 'solarpunk-mesh/other/v1', challenge, peer: 'p', author: me.agentId, proofs: [] } as never, me.signSecretKey);
    expect(() => openSession(toBase64Url(utf8.encode(canonicalJson(other))))).toThrow(/not a session token/);
    // Another key's signature over my agent id.
    const eve = createIdentity();
    const forged = signRecord({ domain: SESSION_DOMAIN, challenge, peer: 'p', author: me.agentId, proofs: [] } as never, eve.signSecretKey);
    expect(() => openSession(toBase64Url(utf8.encode(canonicalJson(forged))))).toThrow(/does not verify/);
    // Non-canonical spelling of a valid token (spaces) is refused.
    const valid = utf8.decode(fromBase64Url(signSession(me, challenge, 'p', [])));
    expect(() => openSession(toBase64Url(utf8.encode(valid.replace(',', ', '))))).toThrow(SessionAuthError);
  });

  it('Scenario: an invite proof binds one challenge and one community', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), fc.uint8Array({ minLength: 16, maxLength: 16 }), (a, b) => {
        const ca = buildChallenge(1, a, mac);
        const cb = buildChallenge(1, b, mac);
        if (ca !== cb) expect(inviteProof(ca, COMMUNITY)).not.toBe(inviteProof(cb, COMMUNITY));
        expect(inviteProof(ca, COMMUNITY)).not.toBe(inviteProof(ca, COMMUNITY + 'x'));
      }),
    );
  });

  it('Scenario: a challenge is fresh for one minute on the relay clock', () => {
    expect(challengeFresh(1000, 1000 + CHALLENGE_MAX_AGE_MS)).toBe(true);
    expect(challengeFresh(1000, 1001 + CHALLENGE_MAX_AGE_MS)).toBe(false);
    expect(challengeFresh(100_000, 90_000)).toBe(false);
    expect(() => readChallenge('x'.repeat(53))).toThrow(SessionAuthError);
  });

  it('Scenario: an invite-link proof binds the challenge, the community and the link secret', () => {
    const hash = inviteSecretHash('s'.repeat(22));
    const r = openSession(signSession(me, challenge, 'p', [{ docId: COMMUNITY, secretHash: hash }]));
    // Both kinds: the relay takes whichever the community calls for.
    expect(r.proofs).toEqual([inviteProof(challenge, COMMUNITY), inviteProof(challenge, COMMUNITY, hash)]);
    fc.assert(
      fc.property(fc.string({ minLength: 22, maxLength: 30 }), fc.string({ minLength: 22, maxLength: 30 }), (s1, s2) => {
        const h1 = inviteSecretHash(s1);
        const p = inviteProof(challenge, COMMUNITY, h1);
        expect(p).toMatch(/^[A-Za-z0-9_-]{43}$/);
        expect(p).not.toBe(inviteProof(challenge, COMMUNITY));
        expect(p).not.toBe(inviteProof(challenge, COMMUNITY + 'x', h1));
        if (s1 !== s2) expect(p).not.toBe(inviteProof(challenge, COMMUNITY, inviteSecretHash(s2)));
      }),
    );
  });
});
