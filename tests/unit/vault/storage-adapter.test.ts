import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Repo, type AnyDocumentId, type DocHandle } from '@automerge/automerge-repo';
import { NodeFSStorageAdapter } from '@automerge/automerge-repo-storage-nodefs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EncryptedStorageAdapter, VaultError } from '../../../src/core/vault/index.ts';
import { seeded } from './helpers.ts';

const SECRET = 'the safe house is behind the bakery on Calle Luna';

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile()) out.push(path.join(e.parentPath, e.name));
  }
  return out;
}

async function shutdown(repo: Repo): Promise<void> {
  await repo.flush();
  await repo.shutdown();
}

describe('EncryptedStorageAdapter with a real automerge-repo on disk', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'spm-vault-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('Scenario: documents at rest are unreadable without the data key', async () => {
    const dek = seeded(1)(32);
    const repo1 = new Repo({ storage: await EncryptedStorageAdapter.open(new NodeFSStorageAdapter(dir), dek) });
    const handle = repo1.create<{ note: string; n: number }>({ note: SECRET, n: 1 });
    for (let i = 2; i <= 5; i++) handle.change((d) => (d.n = i));
    const url = handle.url;
    const docId = handle.documentId;
    await shutdown(repo1);

    const files = await filesUnder(dir);
    expect(files.length).toBeGreaterThan(1);
    for (const f of files) {
      const rel = path.relative(dir, f);
      expect(rel).not.toContain(docId.slice(2));
      expect(rel).not.toMatch(/snapshot|incremental|storage-adapter-id/);
      const raw = Buffer.from(await readFile(f));
      expect(raw.includes(Buffer.from(SECRET))).toBe(false);
      expect(raw.includes(Buffer.from('Calle Luna'))).toBe(false);
      expect(raw.includes(Buffer.from(docId))).toBe(false);
    }

    const repo2 = new Repo({ storage: await EncryptedStorageAdapter.open(new NodeFSStorageAdapter(dir), dek) });
    const again: DocHandle<{ note: string; n: number }> = await repo2.find(url);
    expect(again.doc()).toEqual({ note: SECRET, n: 5 });
    await shutdown(repo2);
  });

  it('Scenario: compaction through the wrapper keeps the document (original keys are returned)', async () => {
    const dek = seeded(2)(32);
    const repo1 = new Repo({ storage: await EncryptedStorageAdapter.open(new NodeFSStorageAdapter(dir), dek) });
    const handle = repo1.create<{ items: string[] }>({ items: [] });
    // Enough incremental saves that automerge-repo compacts into a snapshot and removes the old chunks by key.
    for (let i = 0; i < 40; i++) {
      handle.change((d) => d.items.push('x'.repeat(200) + i));
      await repo1.flush();
    }
    const url = handle.url;
    await shutdown(repo1);
    // 40 saves, far fewer files: old chunks were removed by the keys loadRange returned.
    expect((await filesUnder(dir)).length).toBeLessThan(20);
    const repo2 = new Repo({ storage: await EncryptedStorageAdapter.open(new NodeFSStorageAdapter(dir), dek) });
    const again = await repo2.find<{ items: string[] }>(url);
    expect(again.doc().items).toHaveLength(40);
    await shutdown(repo2);
  });

  it('Scenario: a wrong data key is a clear error, not a crash', async () => {
    const repo1 = new Repo({ storage: await EncryptedStorageAdapter.open(new NodeFSStorageAdapter(dir), seeded(3)(32)) });
    const handle = repo1.create({ note: SECRET });
    const url = handle.url;
    await shutdown(repo1);

    const wrong = seeded(4)(32);
    const err = await EncryptedStorageAdapter.open(new NodeFSStorageAdapter(dir), wrong).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(VaultError);
    expect((err as VaultError).code).toBe('wrong-key');

    // Even without the check, the wrong key finds nothing under its hashed names: unavailable, not a crash.
    const repo2 = new Repo({ storage: new EncryptedStorageAdapter(new NodeFSStorageAdapter(dir), wrong) });
    await expect(repo2.find(url as AnyDocumentId)).rejects.toThrow(/unavailable/i);
    // No repo2.shutdown(): automerge-repo 2.5.6's flush throws on an unavailable handle; repo2 has no network or timers.
  });

  it('Scenario: a stored file altered or moved to another key is a typed error', async () => {
    const dek = seeded(5)(32);
    const inner = new NodeFSStorageAdapter(dir);
    const enc = await EncryptedStorageAdapter.open(inner, dek);
    await enc.save(['doc-a', 'snapshot', 'h1'], new Uint8Array([1, 2, 3]));
    await enc.save(['doc-b', 'snapshot', 'h2'], new Uint8Array([4, 5, 6]));
    expect(await enc.load(['doc-a', 'snapshot', 'h1'])).toEqual(new Uint8Array([1, 2, 3]));
    expect(await enc.loadRange(['doc-a'])).toEqual([{ key: ['doc-a', 'snapshot', 'h1'], data: new Uint8Array([1, 2, 3]) }]);

    // NodeFS splits the first key component after two characters: ['spm-vault-check'] is sp/m-vault-check.
    const files = (await filesUnder(dir)).filter((f) => !f.endsWith(path.join('sp', 'm-vault-check')));
    expect(files).toHaveLength(2);
    const [fa, fb] = files;
    const a = await readFile(fa);
    const b = await readFile(fb);
    // Swap the two files: each still decrypts, but under a key it was not saved with.
    await writeFile(fa, b);
    await writeFile(fb, a);
    // What does not open is reported with its typed error and read as absent, never as another key's data.
    const reported: VaultError[] = [];
    const fresh = await EncryptedStorageAdapter.open(new NodeFSStorageAdapter(dir), dek, undefined, (_key, err) => void reported.push(err));
    expect(await fresh.load(['doc-a', 'snapshot', 'h1'])).toBeUndefined();
    expect(reported.map((e) => e.code)).toEqual(['tampered']);
    expect(reported[0]).toBeInstanceOf(VaultError);

    // Flip one bit: authenticated decryption fails.
    const flipped = Uint8Array.from(a);
    flipped[flipped.length - 1] ^= 1;
    await writeFile(fa, flipped);
    await writeFile(fb, b);
    reported.length = 0;
    const fresh2 = await EncryptedStorageAdapter.open(new NodeFSStorageAdapter(dir), dek, undefined, (_key, err) => void reported.push(err));
    const results = await Promise.all([fresh2.load(['doc-a', 'snapshot', 'h1']), fresh2.load(['doc-b', 'snapshot', 'h2'])]);
    expect(results.filter((r) => r === undefined)).toHaveLength(1);
    expect(reported.map((e) => e.code)).toEqual(['tampered']);
    expect((await stat(fa)).size).toBe(flipped.length);
  });

  it('Scenario: prefix ranges select the same entries after hashing', async () => {
    const enc = await EncryptedStorageAdapter.open(new NodeFSStorageAdapter(dir), seeded(6)(32));
    const keys = [
      ['d1', 'snapshot', 'a'],
      ['d1', 'incremental', 'b'],
      ['d1', 'incremental', 'c'],
      ['d2', 'incremental', 'd'],
    ];
    for (const [i, k] of keys.entries()) await enc.save(k, Uint8Array.of(i));
    const sortKeys = (cs: { key: string[] }[]) => cs.map((c) => c.key.join('/')).sort();
    expect(sortKeys(await enc.loadRange(['d1']))).toEqual(['d1/incremental/b', 'd1/incremental/c', 'd1/snapshot/a']);
    expect(sortKeys(await enc.loadRange(['d1', 'incremental']))).toEqual(['d1/incremental/b', 'd1/incremental/c']);
    await enc.removeRange(['d1', 'incremental']);
    expect(sortKeys(await enc.loadRange(['d1']))).toEqual(['d1/snapshot/a']);
    await enc.remove(['d1', 'snapshot', 'a']);
    expect(await enc.load(['d1', 'snapshot', 'a'])).toBeUndefined();
    expect(sortKeys(await enc.loadRange(['d2']))).toEqual(['d2/incremental/d']);
  });
});
