import { afterEach, describe, expect, it } from 'vitest';
import { createIdentity } from '../../src/core/crypto/keys.ts';
import { signRecord } from '../../src/core/crypto/sign.ts';
import { CHUNK_SIZE, createManifest, fetchFile, reassemble, type ClearFileManifest, type FileManifest } from '../../src/core/library/index.ts';
import { authHeaders } from '../../src/core/protocol/auth.ts';
import { libraryManifestPath, Route } from '../../src/core/protocol/routes.ts';
import { dtnStatus } from '../helpers/dtn-status.ts';
import { relaySuite } from '../helpers/relay-suite.ts';
import { asBody, CuttableLink, FILE, libraryStatus, postManifest, randomFile, share } from './library-helpers.ts';

// openspec/specs/library/spec.md — relays as real processes on loopback
const { relay, member, stop, close } = relaySuite();
const links: CuttableLink[] = [];

// Registered after the suite's, so it runs first: links go before the relays behind them.
afterEach(async () => {
  for (const l of links.splice(0)) await l.close().catch(() => undefined);
});

describe('library across islands', () => {
  it('Scenario: a 20 MB file crosses A → bridge → B; the contact cut halfway resumes without resending held chunks', async () => {
    const a = await relay('island-a');
    const ana = await member(a, 'Ana');
    const community = await ana.communityUrl();
    const b = await relay('island-b', ['--join', community]);
    const bytes = randomFile(20 * 1024 * 1024, 10);
    const { manifest } = await share(a.url, ana.me, bytes);
    expect(manifest.chunks).toHaveLength(80);
    expect(await libraryStatus(a.url)).toMatchObject({ chunks: 80, bytes: bytes.length, chunkBundles: 80 });

    // The bridge picks everything up on A.
    let bridge = await relay('bridge', ['--peer', `127.0.0.1:${(await dtnStatus(a.url)).tcpclPort}`]);
    await expect.poll(async () => (await libraryStatus(bridge.url)).chunkBundles, { timeout: 60_000 }).toBe(80);
    await stop(bridge);

    // It walks to B; the link breaks after 10 MB towards B, and the bridge leaves.
    const link = new CuttableLink((await dtnStatus(b.url)).tcpclPort);
    links.push(link);
    await link.start();
    link.cutAfter = 10 * 1024 * 1024;
    bridge = await relay('bridge', ['--peer', `127.0.0.1:${link.port}`], bridge.dataDir);
    await link.cut;
    const firstContact = link.toIsland;
    await stop(bridge);
    await expect.poll(async () => (await dtnStatus(b.url)).contacts.length, { timeout: 20_000 }).toBe(0);
    // What B holds after the cut: every chunk bundle it took custody of is in its library.
    await expect.poll(async () => {
      const [s, d] = [await libraryStatus(b.url), await dtnStatus(b.url)];
      return s.chunks === s.chunkBundles && (d.store as { pendingBytes?: number }).pendingBytes === 0;
    }, { timeout: 20_000 }).toBe(true);
    const heldAfterCut = (await libraryStatus(b.url)).chunks;
    expect(heldAfterCut).toBeGreaterThan(10);
    expect(heldAfterCut).toBeLessThan(80);

    // Next contact: only the rest crosses.
    link.reopen();
    bridge = await relay('bridge', ['--peer', `127.0.0.1:${link.port}`], bridge.dataDir);
    await expect.poll(async () => (await libraryStatus(b.url)).chunks, { timeout: 60_000 }).toBe(80);
    const secondContact = link.toIsland;
    const rest = (80 - heldAfterCut) * CHUNK_SIZE;
    console.log(`library resume: file ${bytes.length} B; first contact ${firstContact} B (cut), held ${heldAfterCut}/80 chunks; second contact ${secondContact} B in ${link.sessions.length} session(s) for ${80 - heldAfterCut} chunks (${rest} B of chunk data)`);
    expect(secondContact).toBeGreaterThanOrEqual(rest);
    expect(secondContact).toBeLessThan(rest + 512 * 1024);
    // Bytes of the first contact that B did not keep (transfers under way when the link broke) are the
    // only loss; nothing B held crossed twice.
    expect(firstContact).toBeGreaterThanOrEqual(heldAfterCut * CHUNK_SIZE);
    // The relay's own count agrees with the wire. It counts its live session: the link's last connection.
    // Under load a bridge can reconnect within one contact (CI-speed run 53: 2.4 MB on the live session
    // of a 10.8 MB contact); the totals above cover every session, so nothing crossed twice either way.
    const bContact = (await dtnStatus(b.url)).contacts.find((c) => c.peer === 'dtn://bridge/');
    const live = link.sessions[link.sessions.length - 1];
    expect(bContact?.bytesIn).toBeLessThanOrEqual(live);
    expect(bContact?.bytesIn).toBeGreaterThanOrEqual(live - 64 * 1024);
    if (link.sessions.length === 1) expect(bContact?.bytesIn).toBeGreaterThanOrEqual(rest);

    // A phone on B gets the file, verified chunk by chunk (the core client the PWA uses).
    const entry = (await (await fetch(`${b.url}/api/library/manifests/${manifest.id}`)).json()) as { manifest: FileManifest; progress: { done: boolean } };
    expect(entry.progress.done).toBe(true);
    const cache = new Map<string, Uint8Array>();
    const progress = await fetchFile(b.url, fetch, entry.manifest, { has: (h) => cache.has(h), get: (h) => cache.get(h), put: (h, v) => void cache.set(h, v) });
    expect(progress).toMatchObject({ held: 80, total: 80, done: true });
    const got = reassemble(entry.manifest, (h) => cache.get(h));
    expect(got.ok && Buffer.compare(got.bytes, bytes)).toBe(0);
  }, 300_000); // 20 MB hashed, chunked and carried twice: two minutes on a busy two-core machine

  it('Scenario: two members sharing the same file store it once', async () => {
    const a = await relay('island-a');
    const [ana, bea] = [await member(a, 'Ana'), await member(a, 'Bea')];
    const bytes = randomFile(3 * 1024 * 1024, 20);
    const first = await share(a.url, ana.me, bytes);
    const second = await share(a.url, bea.me, bytes, { ...FILE, name: 'Same manual, shared again.pdf' });
    expect(first.uploaded).toBe(12);
    expect(second.uploaded).toBe(0);
    expect(second.manifest.id).not.toBe(first.manifest.id);
    expect(await libraryStatus(a.url)).toMatchObject({ files: 2, chunks: 12, bytes: bytes.length, chunkBundles: 12 });
    const listed = (await (await fetch(`${a.url}/api/library`)).json()) as { files: Array<{ manifest: ClearFileManifest; progress: { held: number; total: number } }> };
    expect(listed.files.map((f) => [f.manifest.name, f.progress.held, f.progress.total]).sort()).toEqual([
      ['Same manual, shared again.pdf', 12, 12],
      ['Water filter manual.pdf', 12, 12],
    ]);
  });

  it('Scenario: a huge size claim, a bad signature, a stranger, a chunk flood and a full library are refused and store nothing', async () => {
    const a = await relay('island-a', ['--store-budget', String(4 * 1024 * 1024)]);
    const ana = await member(a, 'Ana');
    await share(a.url, ana.me, randomFile(100_000, 1)); // membership has reached the relay
    const before = { lib: await libraryStatus(a.url), storeBytes: (await dtnStatus(a.url)).store.bytes };
    const { manifest } = createManifest(ana.me, FILE, randomFile(300_000, 2), Date.now());
    const { sig: _sig, ...unsigned } = manifest;
    const errorOf = async (res: Response) => [res.status, ((await res.json()) as { code: string }).code];

    const huge = signRecord<FileManifest>({ ...unsigned, size: 50 * 1024 ** 3, chunkSize: 1024 * 1024, chunks: [] }, ana.me.signSecretKey);
    expect(await errorOf(await postManifest(a.url, huge))).toEqual([413, 'too-large']);
    expect(await errorOf(await postManifest(a.url, { ...manifest, name: 'tampered' }))).toEqual([401, 'bad-signature']);
    const stranger = createManifest(createIdentity(), FILE, randomFile(1000, 3), Date.now()).manifest;
    expect(await errorOf(await postManifest(a.url, stranger))).toEqual([403, 'not-member']);
    expect(await errorOf(await fetch(`${a.url}/api/library/manifests`, { method: 'POST', body: '{"type":' }))).toEqual([400, 'bad-json']);
    expect(await errorOf(await fetch(`${a.url}/api/library/manifests`, { method: 'POST', body: asBody(new Uint8Array(300 * 1024)) }))).toEqual([413, 'too-large']);

    // A flood of chunks no manifest lists, or under a false name, stores nothing.
    for (let i = 0; i < 50; i++) {
      const junk = randomFile(CHUNK_SIZE, 100 + i);
      const { manifest: other } = createManifest(ana.me, FILE, junk, Date.now());
      expect(await errorOf(await fetch(`${a.url}/api/library/chunks/${other.chunks[0]}`, { method: 'PUT', body: asBody(junk) }))).toEqual([409, 'unknown-chunk']);
    }
    expect(await errorOf(await fetch(`${a.url}/api/library/chunks/not-a-hash`, { method: 'PUT', body: 'x' }))).toEqual([400, 'bad-hash']);
    expect(await errorOf(await fetch(`${a.url}/api/library/chunks/${manifest.chunks[0]}`, { method: 'PUT', body: asBody(new Uint8Array(2 * 1024 * 1024)) }))).toEqual([413, 'too-large']);

    // A file bigger than the island's library room (half of a 4 MiB store) is refused before any chunk.
    const tooBig = createManifest(ana.me, FILE, randomFile(3 * 1024 * 1024, 4), Date.now()).manifest;
    expect(await errorOf(await postManifest(a.url, tooBig))).toEqual([507, 'library-full']);

    // A listed chunk with the wrong bytes is refused too.
    expect((await postManifest(a.url, manifest)).status).toBe(201);
    expect(await errorOf(await fetch(`${a.url}/api/library/chunks/${manifest.chunks[0]}`, { method: 'PUT', body: asBody(randomFile(CHUNK_SIZE, 99)) }))).toEqual([422, 'hash-mismatch']);

    // Unfinished uploads are bounded per member.
    for (let i = 0; i < 3; i++) expect((await postManifest(a.url, createManifest(ana.me, FILE, randomFile(1000, 200 + i), Date.now()).manifest)).status).toBe(201);
    expect(await errorOf(await postManifest(a.url, createManifest(ana.me, FILE, randomFile(1000, 300), Date.now()).manifest))).toEqual([429, 'too-many-unfinished']);

    const after = await libraryStatus(a.url);
    expect(after.bytes).toBe(before.lib.bytes);
    expect(after.chunks).toBe(before.lib.chunks);
    // Only the accepted manifests became bundles: no chunk bundles from the flood.
    expect(after.chunkBundles).toBe(before.lib.chunkBundles);
    // …and the store grew by a few small manifests at most (other bundles of the island may come and go).
    expect((await dtnStatus(a.url)).store.bytes - before.storeBytes).toBeLessThan(64 * 1024);
  });

  it('Scenario: a trusted file is shown only to a member whose request is signed for it', async () => {
    const a = await relay('island-a');
    const ana = await member(a, 'Ana');
    const { manifest } = await share(a.url, ana.me, randomFile(50_000, 7), { ...FILE, name: 'Safe house rota.pdf', audience: 'trusted' });
    type Listing = { files: Array<{ manifest: ClearFileManifest }> };
    const names = async (headers?: Record<string, string>) => ((await (await fetch(`${a.url}${Route.library}`, { headers })).json()) as Listing).files.map((f) => f.manifest.name);
    const list = { method: 'GET', path: Route.library };
    const signed = authHeaders(ana.me, list);
    expect(await names(signed)).toEqual(['Safe house rota.pdf']);
    // The same signed request sent again (captured on the Wi-Fi, say) is a replay: nothing trusted.
    expect(await names(signed)).toEqual([]);
    expect(await names(authHeaders(ana.me, list))).toEqual(['Safe house rota.pdf']); // a fresh one works
    expect(await names()).toEqual([]);
    expect(await names(authHeaders(createIdentity(), list))).toEqual([]); // signed, but not a member
    expect(await names(authHeaders(ana.me, { method: 'GET', path: libraryManifestPath(manifest.id) }))).toEqual([]); // signed for another request
    expect(await names({ 'x-spm-auth': 'garbage.1.2.3' })).toEqual([]);

    const one = { method: 'GET', path: libraryManifestPath(manifest.id) };
    expect((await fetch(`${a.url}${one.path}`)).status).toBe(404);
    const signedOne = authHeaders(ana.me, one);
    expect((await fetch(`${a.url}${one.path}`, { headers: signedOne })).status).toBe(200);
    expect((await fetch(`${a.url}${one.path}`, { headers: signedOne })).status).toBe(404); // replayed
    expect((await fetch(`${a.url}/api/info`)).status).toBe(200);
  });

  it('Scenario: carried files are dropped oldest first for room; files shared on the island are kept', async () => {
    const a = await relay('island-a');
    const ana = await member(a, 'Ana');
    const carried: FileManifest[] = [];
    for (let i = 0; i < 3; i++) carried.push((await share(a.url, ana.me, randomFile(700 * 1024, 40 + i), { ...FILE, name: `Map ${i + 1}.pdf` })).manifest);
    // Island B (its own community) with room for 2 MiB of library: two of A's files, not three.
    const budget = ['--store-budget', String(4 * 1024 * 1024)];
    const first = await relay('island-b', budget);
    const bea = await member(first, 'Bea');
    await expect.poll(async () => (await postManifest(first.url, { probe: true })).status, { timeout: 20_000 }).toBe(400);
    await expect.poll(async () => (await postManifest(first.url, createManifest(bea.me, FILE, new Uint8Array(0), Date.now()).manifest)).status, { timeout: 20_000 }).toBe(201);
    await close(bea);
    await stop(first);
    // The island's relay meets A.
    const b = await relay('island-b', [...budget, '--peer', `127.0.0.1:${(await dtnStatus(a.url)).tcpclPort}`], first.dataDir);
    type Listing = { files: Array<{ manifest: ClearFileManifest; progress: { done: boolean }; carried: boolean }> };
    const listing = async () => ((await (await fetch(`${b.url}/api/library`)).json()) as Listing).files;
    const done = async () => (await listing()).filter((f) => f.progress.done && f.carried).map((f) => f.manifest.name).sort();
    await expect.poll(done, { timeout: 30_000 }).toEqual(['Map 2.pdf', 'Map 3.pdf']);

    // A member of B shares a file: the oldest carried file makes room; B's own files are never dropped.
    await share(b.url, bea.me, randomFile(800 * 1024, 50), { ...FILE, name: 'Our seeds.pdf' });
    expect(await done()).toEqual(['Map 3.pdf']);
    expect((await listing()).filter((f) => !f.carried).map((f) => [f.manifest.name, f.progress.done])).toEqual([
      ['Our seeds.pdf', true],
      ['Water filter manual.pdf', true],
    ]);
    const s = await libraryStatus(b.url);
    expect(s.bytes).toBeLessThanOrEqual(2 * 1024 * 1024);
    expect((s as unknown as { evictedFiles: number }).evictedFiles).toBe(2);

    // Restarted, B does not take the dropped files back from the bundles it still carries.
    await stop(b);
    const again = await relay('island-b', budget, b.dataDir);
    const files = ((await (await fetch(`${again.url}/api/library`)).json()) as Listing).files;
    expect(files.map((f) => [f.manifest.name, f.progress.done, f.carried]).sort()).toEqual([
      ['Map 3.pdf', true, true],
      ['Our seeds.pdf', true, false],
      ['Water filter manual.pdf', true, false],
    ]);
  });
});
