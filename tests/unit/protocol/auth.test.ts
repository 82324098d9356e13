import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeSignatureCheck } from '../../../relay/ed25519.ts';
import { useSignatureCheck } from '../../../src/core/crypto/sign.ts';
import { createIdentity } from '../../../src/core/crypto/keys.ts';
import { AUTH_HEADER, AUTH_WINDOW_MS, authHeaders, encodeAuth, parseAuth, signRequest, verifyRequest, type RequestTarget } from '../../../src/core/protocol/auth.ts';
import { inboxPath, Route } from '../../../src/core/protocol/routes.ts';

// openspec/changes/protocol-module/specs/private-messaging — one signed-request format for phone and relay
const alice = createIdentity();
const mallory = createIdentity();
const NOW = 1_780_000_000_000;
const inbox: RequestTarget = { method: 'GET', path: inboxPath(alice.agentId) };
const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

describe('signed requests', () => {
  // The relay's check (node:crypto), as a relay verifies; the phone signs with tweetnacl either way.
  beforeAll(() => useSignatureCheck(nodeSignatureCheck()));
  afterAll(() => useSignatureCheck(undefined));

  it('Scenario: a request signed by a phone verifies at the relay as that agent, with its nonce', () => {
    const header = signRequest(alice, inbox, NOW);
    const v = verifyRequest(header, inbox, NOW + 1000);
    expect(v).toEqual({ ok: true, agent: alice.agentId, ts: NOW, nonce: (parseAuth(header) as { nonce: string }).nonce });
    expect(authHeaders(alice, inbox, NOW)[AUTH_HEADER]).toMatch(/^[A-Za-z0-9_-]{43}\.\d+\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{86}$/);
  });

  it('Scenario: two requests signed at the same moment carry different nonces and signatures', () => {
    const a = parseAuth(signRequest(alice, inbox, NOW));
    const b = parseAuth(signRequest(alice, inbox, NOW));
    expect(typeof a).toBe('object');
    expect(a).not.toEqual(b);
  });

  it('Scenario: a mutated signed request never verifies', () => {
    const header = signRequest(alice, inbox, NOW);
    fc.assert(
      fc.property(fc.nat(header.length - 1), fc.constantFrom(...B64, '.', '0', '9'), (at, ch) => {
        fc.pre(header[at] !== ch);
        const mutated = header.slice(0, at) + ch + header.slice(at + 1);
        expect(verifyRequest(mutated, inbox, NOW).ok).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  it('Scenario: a signature for one request opens no other request, method or agent', () => {
    const header = signRequest(alice, inbox, NOW);
    fc.assert(
      fc.property(fc.constantFrom('GET', 'POST', 'PUT'), fc.constantFrom(Route.library, Route.inbox, inboxPath(mallory.agentId), inboxPath(alice.agentId), `${inboxPath(alice.agentId)}/`), (method, p) => {
        fc.pre(!(method === 'GET' && p === inbox.path));
        expect(verifyRequest(header, { method, path: p }, NOW)).toEqual({ ok: false, reason: 'bad-signature' });
      }),
      { numRuns: 50 },
    );
    // Mallory's key over Alice's name: the signature is checked against the named agent's key.
    const forged = parseAuth(signRequest(mallory, inbox, NOW));
    if (typeof forged === 'string') throw new Error(forged);
    expect(verifyRequest(encodeAuth({ ...forged, agent: alice.agentId }), inbox, NOW)).toEqual({ ok: false, reason: 'bad-signature' });
  });

  it('Scenario: a request signed outside the time window is refused as stale', () => {
    const header = signRequest(alice, inbox, NOW);
    expect(verifyRequest(header, inbox, NOW + AUTH_WINDOW_MS).ok).toBe(true);
    expect(verifyRequest(header, inbox, NOW + AUTH_WINDOW_MS + 1)).toEqual({ ok: false, reason: 'stale' });
    expect(verifyRequest(header, inbox, NOW - AUTH_WINDOW_MS - 1)).toEqual({ ok: false, reason: 'stale' });
  });

  it('Scenario: any header text is parsed or refused without an exception', () => {
    expect(verifyRequest(undefined, inbox, NOW)).toEqual({ ok: false, reason: 'missing' });
    expect(verifyRequest('', inbox, NOW)).toEqual({ ok: false, reason: 'missing' });
    expect(verifyRequest(`${signRequest(alice, inbox, NOW)}.x`, inbox, NOW)).toEqual({ ok: false, reason: 'malformed' });
    expect(verifyRequest('a'.repeat(10_000), inbox, NOW)).toEqual({ ok: false, reason: 'malformed' });
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 300 }), fc.array(fc.stringMatching(/^[A-Za-z0-9_-]{0,90}$/), { maxLength: 6 }).map((p) => p.join('.'))), (s) => {
        const v = verifyRequest(s, inbox, NOW);
        expect(v.ok).toBe(false);
      }),
      { numRuns: 500 },
    );
  });
});
