import { mkdtemp, readdir, readFile, rm, stat, truncate, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startRelayProcess, type RelayProcess } from '../helpers/relay-process.ts';
import { NodePhone, offers } from '../helpers/phone-client.ts';
import { islandIdle } from '../helpers/islands.ts';

// openspec/specs/relay-dtn/spec.md — a document chunk damaged on the relay's disk (in the clear and sealed)
const open: Array<RelayProcess | NodePhone> = [];
afterEach(async () => {
  for (const x of open.splice(0).reverse()) await ('cleanup' in x ? x.cleanup() : x.close()).catch(() => undefined);
});

/** A doc's chunk files in the relay's document store (the nodefs layout: id split after two characters). */
async function chunksOf(dataDir: string, docId: string): Promise<string[]> {
  const dir = path.join(dataDir, 'repo', docId.slice(0, 2), docId.slice(2));
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true })) if (e.isFile() && /snapshot|incremental/.test(e.parentPath)) out.push(path.join(e.parentPath, e.name));
  return out;
}

async function docStore(url: string): Promise<{ quarantinedChunks: number }> {
  return ((await (await fetch(`${url}/api/status`)).json()) as { docStore: { quarantinedChunks: number } }).docStore;
}

describe('relay: damaged document chunks', () => {
  it('Scenario: chunks damaged while the relay was down are set aside with a warning; the docs load without them, and the phone that holds them gives back what was lost', async () => {
    const first = await startRelayProcess();
    open.push(first);
    const ana = new NodePhone(first.url);
    open.push(ana);
    const community = await ana.join('Ana');
    await ana.post(offers('Soup', 5));
    await islandIdle(first.url);
    await first.stop();

    // A bad sector in Ana's feed (one byte changed in each of its chunks) and a half-written chunk of the
    // community doc, found at the next start.
    const feedChunks = await chunksOf(first.dataDir, ana.feedUrl.replace('automerge:', ''));
    for (const f of feedChunks) {
      const bytes = await readFile(f);
      bytes[Math.floor(bytes.length / 2)] ^= 0xff;
      await writeFile(f, bytes);
    }
    const [communityChunk] = await chunksOf(first.dataDir, community.documentId);
    await truncate(communityChunk, Math.floor((await stat(communityChunk)).size / 2));

    const again = await startRelayProcess({ dataDir: first.dataDir, port: first.port });
    open.push(again);
    const beto = new NodePhone(again.url);
    open.push(beto);
    await beto.join('Beto');
    // Ana's phone, still open, reconnects to the same address and syncs: the relay takes back what it lost.
    await expect.poll(() => beto.titles().filter((t) => t.startsWith('Soup')).length, { timeout: 30_000 }).toBe(5);

    const damaged = feedChunks.length + 1;
    expect((await docStore(again.url)).quarantinedChunks).toBe(damaged);
    expect(again.logs.filter((l) => l.includes('a damaged chunk was set aside'))).toHaveLength(damaged);
    expect(await readdir(path.join(again.dataDir, 'repo.quarantine'))).toHaveLength(damaged);
    expect(again.child.exitCode).toBeNull();
  });

  it('Scenario: on a sealed data dir, chunks that no longer open are set aside with a warning; the docs load without them, and the phone that holds them gives back what was lost', async () => {
    const pass = await mkdtemp(path.join(os.tmpdir(), 'spm-pass-'));
    await writeFile(path.join(pass, 'passphrase'), 'correct horse battery staple', { mode: 0o600 });
    const args = ['--passphrase-file', path.join(pass, 'passphrase')];
    const first = await startRelayProcess({ args });
    open.push(first);
    const ana = new NodePhone(first.url);
    open.push(ana);
    await ana.join('Ana');
    await ana.post(offers('Soup', 5));
    await islandIdle(first.url);
    await first.stop();

    // A bad sector under every document: one byte changed in each sealed file (names and contents are
    // sealed, so which chunk is whose cannot be told from the disk), the repo's storage id among them.
    // The key check file stays whole.
    const chunks = (await readdir(path.join(first.dataDir, 'repo'), { withFileTypes: true, recursive: true })).filter((e) => e.isFile() && e.name !== 'm-vault-check').map((e) => path.join(e.parentPath, e.name));
    expect(chunks.length).toBeGreaterThan(0);
    for (const f of chunks) {
      const bytes = await readFile(f);
      bytes[Math.floor(bytes.length / 2)] ^= 0xff;
      await writeFile(f, bytes);
    }

    const again = await startRelayProcess({ dataDir: first.dataDir, port: first.port, args });
    open.push(again);
    const beto = new NodePhone(again.url);
    open.push(beto);
    await beto.join('Beto');
    await expect.poll(() => beto.titles().filter((t) => t.startsWith('Soup')).length, { timeout: 30_000 }).toBe(5);

    expect((await docStore(again.url)).quarantinedChunks).toBe(chunks.length);
    expect(again.logs.filter((l) => l.includes('a damaged chunk was set aside'))).toHaveLength(chunks.length);
    expect(again.child.exitCode).toBeNull();
    await rm(pass, { recursive: true, force: true });
  });
});
