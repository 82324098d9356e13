import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import net from 'node:net';
import WebSocket from 'ws';
import { testCertificate } from '../helpers/test-certificate.ts';
import { startRelayProcess, type RelayProcess } from '../helpers/relay-process.ts';
import { signedSyncUrl } from '../helpers/sync-session.ts';

// openspec/specs/island-sync/spec.md — relay bad input
let relay: RelayProcess;
beforeAll(async () => {
  relay = await startRelayProcess({ args: ['--max-message-bytes', '65536'] });
});
afterAll(async () => {
  await relay.cleanup();
});

/** Raw HTTP so that no client library normalises the path before it reaches the relay. */
function rawGet(path: string, method = 'GET'): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = net.connect(relay.port, '127.0.0.1', () => s.write(`${method} ${path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`));
    let data = '';
    s.on('data', (d) => (data += d.toString()));
    s.on('end', () => resolve(data));
    s.on('error', reject);
  });
}

describe('relay HTTP', () => {
  it('Scenario: unknown paths give 404', async () => {
    for (const p of ['/no/such/file.js', '/api/library/elsewhere', '/api/discovery/elsewhere']) {
      const res = await fetch(`${relay.url}${p}`);
      expect(res.status, p).toBe(404);
      expect(await res.text(), p).toBe('not found');
    }
  });

  it('Scenario: path traversal is refused', async () => {
    for (const p of ['/../../etc/passwd', '/..%2f..%2fetc%2fpasswd', '/%2e%2e/%2e%2e/etc/passwd', '/assets/..%5c..%5cpackage.json', '/%00index.html', '/%E0%A4%A']) {
      const reply = await rawGet(p);
      expect(reply, p).toMatch(/^HTTP\/1\.1 (400|404)/);
      expect(reply, p).not.toContain('root:');
      expect(reply, p).not.toContain('"name": "solarpunk-mesh"');
    }
  });

  it('Scenario: the relay serves the app and its info', async () => {
    const info = await (await fetch(`${relay.url}/api/info`)).json();
    expect(info.communities).toHaveLength(1);
    expect(info.communities[0].url).toMatch(/^automerge:/);
    const status = await (await fetch(`${relay.url}/api/status`)).json();
    expect(status).toMatchObject({ unsaved: 0, phones: 0 });
    // The document storage reports like the bundle store (read-only while the disk refuses writes).
    expect(status.docStore).toEqual({ state: 'ok', pendingChunks: 0, quarantinedChunks: 0 });
  });

  it('Scenario: every answer carries the security headers', async () => {
    const answers = [
      await fetch(`${relay.url}/`),
      await fetch(`${relay.url}/api/info`),
      await fetch(`${relay.url}/no/such/file.js`),
      await fetch(`${relay.url}/api/status`, { method: 'POST' }),
      await fetch(`${relay.url}/api/inbox/%E0%A4%A`),
    ];
    for (const res of answers) {
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp, res.url).toContain("default-src 'self'");
      expect(csp, res.url).toContain("script-src 'self' 'wasm-unsafe-eval'");
      expect(csp, res.url).toContain("frame-ancestors 'none'");
      expect(csp, res.url).toContain("object-src 'none'");
      expect(csp, res.url).not.toContain('unsafe-inline');
      expect(res.headers.get('referrer-policy'), res.url).toBe('no-referrer');
      expect(res.headers.get('x-content-type-options'), res.url).toBe('nosniff');
      await res.arrayBuffer();
    }
  });

  it('Scenario: malformed percent-encoding gets 400, not a server error', async () => {
    for (const p of ['/api/inbox/%E0%A4%A', '/api/library/manifests/%zz', '/api/discovery/queries/%', '/assets/%E0%A4%A.js', '/%']) {
      const reply = await rawGet(p);
      expect(reply, p).toMatch(/^HTTP\/1\.1 400/);
      expect(reply, p).toContain('malformed percent-encoding');
    }
    // A request target that is not a path at all does not reach a URL parser that would throw.
    expect(await rawGet('//')).toMatch(/^HTTP\/1\.1 (400|404)/);
    expect(relay.child.exitCode).toBeNull();
    expect(relay.logs.join('\n')).not.toContain('"level":50');
  });

  it('Scenario: a wrong method gets 405 naming the methods that path answers', async () => {
    const cases: Array<[string, string, string]> = [
      ['DELETE', '/api/info', 'GET, HEAD'],
      ['POST', '/api/status', 'GET, HEAD'],
      ['PUT', '/api/suggestions?community=x', 'GET, HEAD'],
      ['POST', '/index.html', 'GET, HEAD'],
      ['PUT', '/api/inbox', 'POST'],
      ['DELETE', '/api/alerts?community=x', 'GET, POST'],
      ['DELETE', '/api/library/chunks/abc', 'GET, PUT, POST'],
    ];
    for (const [method, p, allow] of cases) {
      const res = await fetch(`${relay.url}${p}`, { method });
      expect(res.status, `${method} ${p}`).toBe(405);
      expect(res.headers.get('allow'), `${method} ${p}`).toBe(allow);
      expect(await res.json()).toEqual({ error: 'method not allowed', code: 'method' });
    }
    const head = await fetch(`${relay.url}/api/info`, { method: 'HEAD' });
    expect(head.status).toBe(200);
  });

  it('Scenario: an oversized WebSocket message is refused without crashing the relay', async () => {
    const ws = new WebSocket(await signedSyncUrl(relay.url));
    await new Promise((r) => ws.once('open', r));
    const closed = new Promise<number>((r) => ws.once('close', (code) => r(code)));
    ws.send(new Uint8Array(200_000));
    expect(await closed).toBe(1009);
    expect((await fetch(`${relay.url}/api/status`)).status).toBe(200);
  });

  it('Scenario: garbage sync frames close only that socket', async () => {
    const ws = new WebSocket(await signedSyncUrl(relay.url));
    await new Promise((r) => ws.once('open', r));
    const closed = new Promise<void>((r) => ws.once('close', () => r()));
    ws.send(new Uint8Array([0xff, 0x00, 0x13, 0x37]));
    ws.send(Buffer.from([0xa1, 0x64, 0x74, 0x79, 0x70, 0x65, 0x64, 0x6a, 0x6f, 0x69, 0x6e])); // {"type":"join"} with no sender
    await closed;
    expect(relay.child.exitCode).toBeNull();
    expect((await fetch(`${relay.url}/api/status`)).status).toBe(200);
  });

  it('Scenario: a WebSocket to any other path is refused', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${relay.port}/elsewhere`);
    const err = await new Promise<Error>((r) => ws.once('error', r));
    expect(err.message).toMatch(/404/);
  });
});

describe('relay process', () => {
  it('Scenario: --help explains the options and exits 0', async () => {
    const { cert, key } = testCertificate();
    const tls = await startRelayProcess({ args: ['--tls-cert', cert, '--tls-key', key] });
    try {
      expect(tls.url).toMatch(/^https:/);
      const https = await import('node:https');
      const status = await new Promise<number>((resolve, reject) => {
        https.get(`${tls.url}/api/info`, { rejectUnauthorized: false }, (res) => resolve(res.statusCode ?? 0)).on('error', reject);
      });
      expect(status).toBe(200);
    } finally {
      await tls.cleanup();
    }
  });
});
