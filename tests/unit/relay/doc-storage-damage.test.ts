import { mkdtemp, readdir, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as A from '@automerge/automerge';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DocStorage } from '../../../relay/doc-storage.ts';
import { chunkHeadersHold } from '../../../relay/doc-chunk-check.ts';
import { concatBytes } from '../../../src/core/crypto/bytes.ts';

// openspec/changes/damaged-doc-chunks — any damage to one stored chunk of a document

type Doc = {
  items: string[];
};

const quiet = { warn: () => undefined, info: () => undefined };
const DOC = '3zWEWyxtKkHJDPP48uo62kQYWkT9';

/** A doc as automerge-repo stores it: a snapshot of its first changes, then one incremental chunk per later change. */
async function storedDoc(dir: string, n: number): Promise<string[]> {
  let doc = A.from<Doc>({ items: [] });
  const store = new DocStorage(dir, { logger: quiet });
  doc = A.change(doc, (d) => void d.items.push('item 0'));
  await store.save([DOC, 'snapshot', 'first'], A.save(doc));
  for (let i = 1; i < n; i++) {
    const before = doc;
    doc = A.change(doc, (d) => void d.items.push(`item ${i}`));
    await store.save([DOC, 'incremental', `c${i}`], A.saveSince(doc, A.getHeads(before)));
  }
  return [...doc.items];
}

/** What a relay started afresh on this dir loads of the doc, as automerge-repo's StorageSubsystem does. */
async function loadFresh(dir: string): Promise<{ items: string[]; quarantined: number }> {
  const store = new DocStorage(dir, { logger: quiet });
  const chunks = [...(await store.loadRange([DOC, 'snapshot'])), ...(await store.loadRange([DOC, 'incremental']))];
  const doc = A.loadIncremental(A.init<Doc>(), concatBytes(...chunks.map((c) => c.data!)));
  return { items: [...(doc.items ?? [])], quarantined: store.status().quarantinedChunks };
}

async function chunkFiles(dir: string): Promise<string[]> {
  return (await readdir(dir, { recursive: true, withFileTypes: true })).filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name)).sort();
}

const damage = fc.record({
  which: fc.nat(),
  kind: fc.constantFrom('flip', 'truncate', 'append'),
  at: fc.double({ min: 0, max: 1, noNaN: true }),
  bits: fc.integer({ min: 1, max: 255 }),
});

describe('relay: document chunks damaged on disk', () => {
  it('Scenario: whatever one chunk of a document suffers on disk, loading never fails, shows only what was written, and sets aside only that chunk (property)', async () => {
    await fc.assert(
      fc.asyncProperty(damage, async ({ which, kind, at, bits }) => {
        const dir = await mkdtemp(path.join(tmpdir(), 'spm-damage-'));
        try {
          const written = await storedDoc(dir, 4);
          const files = await chunkFiles(dir);
          const victim = files[which % files.length];
          const bytes = await readFile(victim);
          if (kind === 'flip') {
            bytes[Math.min(bytes.length - 1, Math.floor(at * bytes.length))] ^= bits;
            await writeFile(victim, bytes);
          } else if (kind === 'truncate') await truncate(victim, Math.floor(at * bytes.length));
          else await writeFile(victim, concatBytes(bytes, new Uint8Array([bits, bits, bits])));
          const loaded = await loadFresh(dir);
          expect(loaded.items.every((i) => written.includes(i))).toBe(true);
          expect(loaded.quarantined).toBeLessThanOrEqual(1);
          // Only the damaged file may have left the tree.
          expect((await chunkFiles(dir)).filter((f) => f !== victim)).toEqual(files.filter((f) => f !== victim));
        } finally {
          await rm(dir, { recursive: true, force: true });
          await rm(`${dir}.quarantine`, { recursive: true, force: true });
          await rm(`${dir}.tmp`, { recursive: true, force: true });
        }
      }),
      { numRuns: 60 },
    );
  });

  it('Scenario: an undamaged document loads whole and nothing is set aside', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'spm-damage-'));
    try {
      const written = await storedDoc(dir, 4);
      expect(await loadFresh(dir)).toEqual({ items: written, quarantined: 0 });
    } finally {
      await rm(dir, { recursive: true, force: true });
      await rm(`${dir}.tmp`, { recursive: true, force: true });
    }
  });

  it('Scenario: the chunk headers of whatever Automerge saves hold, and any one changed byte breaks them (property)', () => {
    const edits = fc.array(fc.oneof(fc.string({ maxLength: 20 }), fc.string({ minLength: 300, maxLength: 2000 })), { minLength: 1, maxLength: 6 });
    fc.assert(
      fc.property(edits, fc.nat(), fc.integer({ min: 1, max: 255 }), (texts, where, bits) => {
        let doc = A.from<Doc>({ items: [] });
        const saved: Uint8Array[] = [];
        for (const t of texts) {
          const before = A.getHeads(doc);
          doc = A.change(doc, (d) => void d.items.push(t));
          saved.push(A.saveSince(doc, before), ...A.getChanges(A.view(doc, before), doc));
        }
        saved.push(A.save(doc));
        for (const chunk of saved) expect(chunkHeadersHold(chunk)).toBe(true);
        const victim = saved[where % saved.length].slice();
        victim[where % victim.length] ^= bits;
        expect(chunkHeadersHold(victim)).toBe(false);
      }),
      { numRuns: 80 },
    );
  });
});
