import { describe, expect, it } from 'vitest';
import { createIdentity } from '../../../src/core/crypto/keys.ts';
import { utf8 } from '../../../src/core/crypto/encoding.ts';
import { CHUNK_SIZE, fetchFile, LibraryHttpError, reassemble, shareFile, validateManifest, type FetchLike, type FileManifest } from '../../../src/core/library/index.ts';

// openspec/specs/library/spec.md — the client against an in-memory stand-in for the relay's HTTP API
function fakeRelay() {
  const manifests = new Map<string, FileManifest>();
  const chunks = new Map<string, Uint8Array>();
  const puts: string[] = [];
  let corrupt: string | undefined;
  const reply = (status: number, body: unknown, bytes?: Uint8Array) => ({
    status,
    ok: status < 300,
    json: async () => body,
    arrayBuffer: async () => (bytes ?? new Uint8Array()).slice().buffer as ArrayBuffer,
  });
  const f: FetchLike = async (url, init) => {
    const path = url.replace('http://relay', '');
    if (path === '/api/library/manifests' && init?.method === 'POST') {
      const m = validateManifest(JSON.parse(String(init.body)));
      manifests.set(m.id, m);
      return reply(201, { manifest: m, missing: m.chunks.flatMap((h, i) => (chunks.has(h) ? [] : [i])) });
    }
    const hash = path.slice('/api/library/chunks/'.length);
    if (init?.method === 'PUT') {
      puts.push(hash);
      chunks.set(hash, init.body as Uint8Array);
      return reply(201, { stored: true });
    }
    const c = chunks.get(hash);
    if (!c) return reply(404, { error: 'not here', code: 'not-found' });
    if (hash === corrupt) {
      const bad = c.slice();
      bad[0] ^= 1;
      return reply(200, null, bad);
    }
    return reply(200, null, c);
  };
  return { f, chunks, puts, corruptNext: (h: string | undefined) => (corrupt = h) };
}

const FILE = { name: 'map.png', mime: 'image/png', licence: 'CC0', audience: 'public' as const };
const bytes = new Uint8Array(3 * CHUNK_SIZE + 10).map((_, i) => (i * 2654435761) >>> 24);

describe('library client', () => {
  it('Scenario: sharing sends only the chunks the relay lacks', async () => {
    const relay = fakeRelay();
    const me = createIdentity();
    const first = await shareFile('http://relay', relay.f, me, FILE, bytes, 1);
    expect(first.sent).toBe(4);
    const again = await shareFile('http://relay', relay.f, createIdentity(), { ...FILE, name: 'same map.png' }, bytes, 2);
    expect(again.sent).toBe(0);
    expect(relay.puts).toHaveLength(4);
    // A file of repeated chunks sends each distinct chunk once.
    const blank = await shareFile('http://relay', relay.f, me, FILE, new Uint8Array(3 * CHUNK_SIZE), 3);
    expect(blank.sent).toBe(1);
  });

  it('Scenario: a fetch resumes with what is missing and does not keep a corrupt chunk', async () => {
    const relay = fakeRelay();
    const { manifest } = await shareFile('http://relay', relay.f, createIdentity(), FILE, bytes, 1);
    const cache = new Map<string, Uint8Array>();
    const store = { has: (h: string) => cache.has(h), get: (h: string) => cache.get(h), put: (h: string, v: Uint8Array) => void cache.set(h, v) };
    // The relay has lost one chunk and serves another corrupted.
    const lost = relay.chunks.get(manifest.chunks[3])!;
    relay.chunks.delete(manifest.chunks[3]);
    relay.corruptNext(manifest.chunks[1]);
    const seen: number[] = [];
    const p1 = await fetchFile('http://relay', relay.f, manifest, store, (p) => seen.push(p.held));
    expect(p1).toMatchObject({ held: 2, total: 4, done: false });
    expect(seen).toEqual([1, 2]);
    expect(reassemble(manifest, (h) => cache.get(h))).toEqual({ ok: false, missing: [1, 3], corrupt: [] });
    // Later both are fine: only the two missing chunks are fetched.
    relay.chunks.set(manifest.chunks[3], lost);
    relay.corruptNext(undefined);
    const p2 = await fetchFile('http://relay', relay.f, manifest, store, (p) => seen.push(p.held));
    expect(p2.done).toBe(true);
    expect(seen).toEqual([1, 2, 3, 4]);
    const r = reassemble(manifest, (h) => cache.get(h));
    expect(r.ok && r.bytes).toEqual(bytes);
  });

  it('Scenario: a refusal from the relay is a typed error with its code', async () => {
    const f: FetchLike = async () => ({ status: 403, ok: false, json: async () => ({ error: 'members only', code: 'not-member' }), arrayBuffer: async () => new ArrayBuffer(0) });
    const err = await shareFile('http://relay', f, createIdentity(), FILE, utf8.encode('hi'), 1).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LibraryHttpError);
    expect(err).toMatchObject({ status: 403, code: 'not-member' });
  });
});
