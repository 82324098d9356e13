import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { compressDir } from '../../scripts/compress.ts';
import { compilePackedWasm } from '../../src/platform/packed-wasm.ts';
import { PACKED_WASM_SUFFIX } from '../../src/core/protocol/packed-wasm.ts';
import { customSection, WASM_MAGIC } from '../helpers/wasm-bytes.ts';
import { startRelayProcess, type RelayProcess } from '../helpers/relay-process.ts';

// openspec/changes/light-and-strict-http — the relay serves the built app compressed and cacheable.
let relay: RelayProcess;
let staticDir: string;
// Text that compresses well, like real JS: repeated identifiers with some variety.
const appJs = Array.from({ length: 400 }, (_, i) => `export const item${i} = { id: ${i}, label: "offer number ${i}", kind: "${i % 2 ? 'need' : 'offer'}" };`).join('\n');
/**
 * A small valid wasm module carrying a custom section of module-like bytes, so the copy compresses and
 * the section shows, after a compile, that every byte came through.
 */
const padding = Buffer.from(Array.from({ length: 2000 }, (_, i) => `fn${i % 97};`).join(''));
const moduleWasm = Buffer.from([...WASM_MAGIC, ...customSection('spm-test', padding)]);
const indexHtml = `<!doctype html><html><head><title>t</title><script type="module" src="/assets/app-Ab12Cd34.js"></script></head><body>${'<p>hello mesh</p>'.repeat(50)}</body></html>`;

beforeAll(async () => {
  staticDir = await mkdtemp(path.join(os.tmpdir(), 'spm-static-'));
  await mkdir(path.join(staticDir, 'assets'));
  await writeFile(path.join(staticDir, 'assets/app-Ab12Cd34.js'), appJs);
  await writeFile(path.join(staticDir, 'index.html'), indexHtml);
  await writeFile(path.join(staticDir, 'sw.js'), `self.addEventListener('fetch', () => {});\n`.repeat(40));
  await writeFile(path.join(staticDir, 'assets/automerge-Zz98Yy76.wasm'), moduleWasm);
  await writeFile(path.join(staticDir, 'icon.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3, 4]));
  await compressDir(staticDir);
  relay = await startRelayProcess({ args: ['--static-dir', staticDir] });
});
afterAll(async () => {
  await relay.cleanup();
  await rm(staticDir, { recursive: true, force: true });
});

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** Plain node:http, so the test sees the bytes on the wire: fetch would decompress them silently. */
function get(p: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: relay.port, path: p, method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('relay static files', () => {
  it('Scenario: the app goes out brotli or gzip compressed, as the phone accepts', async () => {
    const br = await get('/assets/app-Ab12Cd34.js', { 'accept-encoding': 'gzip, deflate, br' });
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers['vary']).toBe('Accept-Encoding');
    expect(br.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(Number(br.headers['content-length'])).toBe(br.body.length);
    expect(br.body.length).toBeLessThan(appJs.length / 4);
    expect(brotliDecompressSync(br.body).toString()).toBe(appJs);

    const gz = await get('/assets/app-Ab12Cd34.js', { 'accept-encoding': 'gzip' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.body).toString()).toBe(appJs);

    // A client that refuses brotli (q=0) gets gzip; one that names no coding gets the plain file.
    expect((await get('/assets/app-Ab12Cd34.js', { 'accept-encoding': 'br;q=0, gzip;q=0.5' })).headers['content-encoding']).toBe('gzip');
    const plain = await get('/assets/app-Ab12Cd34.js');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.toString()).toBe(appJs);
    // Junk in the header costs compression at most, never the answer.
    expect((await get('/assets/app-Ab12Cd34.js', { 'accept-encoding': ';;;q=,,br;q=abc' })).status).toBe(200);

    const root = await get('/', { 'accept-encoding': 'br' });
    expect(root.headers['content-encoding']).toBe('br');
    expect(brotliDecompressSync(root.body).toString()).toBe(indexHtml);
    // Images are already compressed: sent as they are, with no Vary.
    const png = await get('/icon.png', { 'accept-encoding': 'br' });
    expect(png.headers['content-encoding']).toBeUndefined();
    expect(png.headers['vary']).toBeUndefined();
  });

  it('Scenario: an unchanged file answers 304 to its ETag', async () => {
    const first = await get('/assets/app-Ab12Cd34.js', { 'accept-encoding': 'br' });
    const etag = String(first.headers.etag);
    expect(etag).toMatch(/^"[A-Za-z0-9_-]+"$/);
    const again = await get('/assets/app-Ab12Cd34.js', { 'accept-encoding': 'br', 'if-none-match': etag });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
    expect(again.headers.etag).toBe(etag);
    expect(again.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    // Each encoding is its own representation with its own strong tag.
    const gz = await get('/assets/app-Ab12Cd34.js', { 'accept-encoding': 'gzip', 'if-none-match': etag });
    expect(gz.status).toBe(200);
    expect(gz.headers.etag).not.toBe(etag);
    expect((await get('/assets/app-Ab12Cd34.js', { 'accept-encoding': 'gzip', 'if-none-match': `"other", W/${gz.headers.etag}` })).status).toBe(304);
    // A HEAD answers the same headers without a body.
    const head = await get('/', { 'accept-encoding': 'br' }, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);
    expect(head.headers.etag).toBe((await get('/', { 'accept-encoding': 'br' })).headers.etag);
  });

  it('Scenario: hashed assets are cached for a year, the app shell is revalidated', async () => {
    expect((await get('/assets/app-Ab12Cd34.js')).headers['cache-control']).toBe('public, max-age=31536000, immutable');
    for (const p of ['/', '/index.html', '/sw.js', '/icon.png']) expect((await get(p)).headers['cache-control'], p).toBe('no-cache');
  });

  it('Scenario: a rebuilt file gets a new ETag', async () => {
    const before = String((await get('/sw.js')).headers.etag);
    await writeFile(path.join(staticDir, 'sw.js'), `// new version\n`);
    const after = await get('/sw.js', { 'if-none-match': before });
    expect(after.status).toBe(200);
    expect(after.body.toString()).toBe('// new version\n');
    expect(after.headers.etag).not.toBe(before);
  });

  it('Scenario: the wasm’s xz copy is served as a file, cached a year, and compiles on the phone to the same module', async () => {
    const packed = await get(`/assets/automerge-Zz98Yy76.wasm${PACKED_WASM_SUFFIX}`, { 'accept-encoding': 'gzip, deflate' });
    expect(packed.status).toBe(200);
    expect(packed.headers['content-type']).toBe('application/x-xz');
    expect(packed.headers['content-encoding']).toBeUndefined();
    expect(packed.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(packed.body.length).toBeLessThan(moduleWasm.length / 4);
    // The phone's own code (src/platform/packed-wasm.ts) against the relay, in Node.
    const module = await compilePackedWasm(`${relay.url}/assets/automerge-Zz98Yy76.wasm`);
    expect(Buffer.from(WebAssembly.Module.customSections(module, 'spm-test')[0]!).equals(padding)).toBe(true);
    // A wasm with no packed copy: a plain refusal the phone answers by fetching the wasm itself.
    await expect(compilePackedWasm(`${relay.url}/assets/missing-Aa11Bb22.wasm`)).rejects.toThrow(/packed wasm: 404/);
  });
});
