import path from 'node:path';
import nacl from 'tweetnacl';
import { describe, expect, it } from 'vitest';
import { fromBase64Url, toBase64Url, utf8 } from '../../src/core/crypto/encoding.ts';
import { createIdentity, type Identity } from '../../src/core/crypto/keys.ts';
import { decodeEnvelope, encodeEnvelope, MAX_ENVELOPE_BYTES, openMessage, sealMessage } from '../../src/core/messaging/index.ts';
import { dtnStatus } from '../helpers/dtn-status.ts';
import type { RelayProcess } from '../helpers/relay-process.ts';
import { relaySuite } from '../helpers/relay-suite.ts';
import { AUTH_HEADER, signRequest } from '../../src/core/protocol/auth.ts';
import { inboxPath, Route } from '../../src/core/protocol/routes.ts';
import { filesUnder } from '../helpers/files.ts';

// openspec/specs/private-messaging/spec.md — the relay side: sealed envelopes as inbox bundles
const { relay } = relaySuite();

function auth(me: Identity, ts = Date.now(), path = inboxPath(me.agentId)): string {
  return signRequest(me, { method: 'GET', path }, ts);
}

async function inbox(r: RelayProcess, me: Identity, header = auth(me)): Promise<Response> {
  return fetch(`${r.url}${inboxPath(me.agentId)}`, { headers: { [AUTH_HEADER]: header } });
}

describe('relay inbox', () => {
  it('Scenario: a sealed message handed to one relay reaches its reader at another, and no relay stores its text or sender', async () => {
    const b = await relay('island-b');
    const a = await relay('island-a', ['--peer', `127.0.0.1:${(await dtnStatus(b.url)).tcpclPort}`]);
    const alice = createIdentity();
    const bob = createIdentity();
    const text = 'Meet at the old mill at dusk';
    const { envelope } = sealMessage(alice, { agentId: bob.agentId, boxKey: toBase64Url(bob.boxPublicKey) }, { kind: 'text', text }, Date.now());
    const posted = await fetch(`${a.url}/api/inbox`, { method: 'POST', body: encodeEnvelope(envelope) as BodyInit });
    expect(posted.status).toBe(202);

    let envelopes: string[] = [];
    await expect
      .poll(async () => (envelopes = ((await (await inbox(b, bob)).json()) as { envelopes: string[] }).envelopes).length, { timeout: 20_000 })
      .toBe(1);
    const opened = openMessage(bob, decodeEnvelope(fromBase64Url(envelopes[0])), Date.now());
    expect(opened.ok && opened.message.body).toEqual({ kind: 'text', text });
    expect(opened.ok && opened.message.author).toBe(alice.agentId);

    const secrets = [utf8.encode('old mill'), utf8.encode(alice.agentId), alice.signPublicKey, alice.boxPublicKey];
    for (const r of [a, b]) {
      const stored = await filesUnder(path.join(r.dataDir, 'bundles'));
      expect(stored.length).toBeGreaterThan(0);
      for (const bytes of stored) for (const s of secrets) expect(bytes.indexOf(Buffer.from(s))).toBe(-1);
    }
  });

  it('Scenario: an inbox is read only with a fresh signature by its owner', async () => {
    const r = await relay('solo');
    const bob = createIdentity();
    const mallory = createIdentity();
    expect((await inbox(r, bob)).status).toBe(200);
    expect((await inbox(r, bob, '')).status).toBe(401);
    expect((await inbox(r, bob, auth(mallory))).status).toBe(401);
    expect((await inbox(r, bob, auth(bob, Date.now() - 3600_000))).status).toBe(401);
    // Signed by its owner, but for another request: it opens nothing else.
    const elsewhere = await inbox(r, bob, auth(bob, Date.now(), Route.library));
    expect(elsewhere.status).toBe(401);
    expect(((await elsewhere.json()) as { error: string }).error).toBe('signature does not verify');
    // The retired `<ms>.<sig>` format of the first phones is refused as malformed, not crashed on.
    const old = `${Date.now()}.${toBase64Url(nacl.sign.detached(utf8.encode(`spm-inbox:${bob.agentId}:${Date.now()}`), bob.signSecretKey))}`;
    expect((await inbox(r, bob, old)).status).toBe(401);
    expect((await inbox(r, bob)).status).toBe(200);
  });

  it('Scenario: a malformed or oversized envelope is refused with a clear error and the relay keeps serving', async () => {
    const r = await relay('solo');
    const garbage = await fetch(`${r.url}/api/inbox`, { method: 'POST', body: new Uint8Array([1, 2, 3]) as BodyInit });
    expect(garbage.status).toBe(400);
    expect(((await garbage.json()) as { error: string }).error).toMatch(/bad envelope/);
    const big = await fetch(`${r.url}/api/inbox`, { method: 'POST', body: new Uint8Array(MAX_ENVELOPE_BYTES + 1) as BodyInit });
    expect(big.status).toBe(413);
    expect((await fetch(`${r.url}/api/info`)).status).toBe(200);
  });
});
