import { EventEmitter } from 'node:events';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as A from '@automerge/automerge';
import { cbor, Repo, type AutomergeUrl } from '@automerge/automerge-repo';
import { NodeFSStorageAdapter } from '@automerge/automerge-repo-storage-nodefs';
import { afterEach, describe, expect, it } from 'vitest';
import { DocStorage } from '../../../relay/doc-storage.ts';
import { nodeFsOps, type FsOps } from '../../../relay/dtn/store/fs-ops.ts';
import { SyncAccess } from '../../../relay/sync-access.ts';
import { CLOSE, GuardedWebSocketServerAdapter, STORAGE_FULL_REASON } from '../../../relay/ws-adapter.ts';
import type { Logger } from '../../../relay/log.ts';
import { concatBytes } from '../../../src/core/crypto/bytes.ts';

// openspec/specs/relay-dtn — a full disk under automerge-repo's own document storage (relay/doc-storage.ts)

interface Doc {
  items: string[];
}

const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

/**
 * The real file operations with a switch that makes each write fail the way a full or broken disk does:
 * half the bytes reach the file (a short write), then the call rejects with the errno.
 */
function flakyDisk(): { fs: FsOps; fail?: string } {
  const disk: { fs: FsOps; fail?: string } = {
    fs: {
      ...nodeFsOps,
      async writeDurable(file, chunks, sync) {
        if (!disk.fail) return nodeFsOps.writeDurable(file, chunks, sync);
        const all = concatBytes(...chunks);
        await nodeFsOps.writeDurable(file, [all.subarray(0, Math.floor(all.length / 2))], false);
        throw Object.assign(new Error(`${disk.fail}: write failed`), { code: disk.fail });
      },
    },
  };
  return disk;
}

function logs(): { logger: { warn: (o: object, m?: string) => void; info: (o: object, m?: string) => void }; lines: string[] } {
  const lines: string[] = [];
  return { lines, logger: { warn: (_o, m) => void lines.push(m ?? ''), info: (_o, m) => void lines.push(m ?? '') } };
}

/** What a relay started afresh on this data dir would load of the doc (the disk's copy only). */
async function onDisk(dir: string, url: AutomergeUrl): Promise<string[]> {
  const repo = new Repo({ storage: new NodeFSStorageAdapter(dir) });
  try {
    return [...((await repo.find<Doc>(url)).doc()?.items ?? [])];
  } finally {
    await repo.shutdown();
  }
}

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 1000; i++) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`never happened: ${what}`);
}

describe('document storage on a failing disk', () => {
  it.each(['ENOSPC', 'EDQUOT', 'EIO'])('Scenario: a document write failing with %s makes the document store read-only, reads go on, nothing saved is lost, and it recovers by itself', async (errno) => {
    const dir = await mkdtemp(path.join(tmpdir(), 'spm-docstore-'));
    dirs.push(dir);
    const disk = flakyDisk();
    const log = logs();
    const storage = new DocStorage(path.join(dir, 'repo'), { logger: log.logger, probeMs: 10, fs: disk.fs });
    const repo = new Repo({ storage });
    const handle = repo.create<Doc>({ items: [] });
    handle.change((d) => void d.items.push('before'));
    await repo.flush();
    expect(storage.status()).toEqual({ state: 'ok', pendingChunks: 0, quarantinedChunks: 0 });

    disk.fail = errno;
    // Many changes, each flushed: incremental chunks, then compactions that would remove the old chunks.
    const during = Array.from({ length: 30 }, (_, i) => `during ${i} ${'x'.repeat(200)}`);
    for (const item of during) {
      handle.change((d) => void d.items.push(item));
      await repo.flush(); // resolves: automerge-repo never sees the failure (it would be an unhandled rejection)
    }
    expect(storage.status()).toMatchObject({ state: 'read-only', readOnlyReason: errno });
    expect(storage.status().pendingChunks).toBeGreaterThan(0);
    expect(log.lines).toContain('document store: write failed; read-only until the disk takes writes again');
    // Reads go on: the storage answers with the held chunks, the whole doc as it is in memory.
    const chunks = await storage.loadRange([handle.documentId]);
    const loaded = A.loadIncremental(A.init<Doc>(), concatBytes(...chunks.map((c) => c.data!)));
    expect(loaded.items).toEqual(['before', ...during]);
    // The disk still holds a complete doc as last written: no partial chunk, no chunk removed early.
    expect(await onDisk(path.join(dir, 'repo'), handle.url)).toEqual(['before']);

    disk.fail = undefined;
    await until(() => storage.status().state === 'ok' && storage.status().pendingChunks === 0, 'the document store to be writable again');
    expect(log.lines).toContain('document store: writable again');
    expect(await readdir(path.join(dir, 'repo.tmp'))).toEqual([]); // no partial temp file left behind
    expect(await onDisk(path.join(dir, 'repo'), handle.url)).toEqual(['before', ...during]);
    // And writes go straight to disk again.
    handle.change((d) => void d.items.push('after'));
    await repo.flush();
    expect(await onDisk(path.join(dir, 'repo'), handle.url)).toEqual(['before', ...during, 'after']);
    await repo.shutdown();
    await storage.close();
  });

  it('Scenario: while the document store is read-only a phone’s change closes its socket with a clear reason, and its requests are still served', async () => {
    let writable = false;
    const lines: string[] = [];
    const log = { warn: (o: { reason?: string }) => void lines.push(o.reason ?? '') } as unknown as Logger;
    const access = new SyncAccess({ communityDocOf: (id) => (id === docId ? docId : undefined), isMember: () => true });
    const docId = 'doc1';
    const adapter = new GuardedWebSocketServerAdapter({} as never, log, access, () => undefined, () => writable);
    adapter.peerId = 'relay' as never;
    const passed: unknown[] = [];
    adapter.on('message', (m) => void passed.push(m));
    const socket = Object.assign(new EventEmitter(), { closed: [] as Array<[number, string]>, close(code: number, reason: string) { this.closed.push([code, reason]); }, pause() {}, resume() {} });
    adapter.attach(socket as never, { key: 'k'.repeat(43), peer: 'phone', communities: new Set([docId]) });
    (adapter.sockets as Record<string, unknown>).phone = socket; // as its join frame would have done
    const frame = (data: Uint8Array) => cbor.encode({ type: 'sync', senderId: 'phone', targetId: 'relay', documentId: docId, data });

    // A phone with one change the relay lacks: its first message only says what it has; its second carries the change.
    let phone = A.change(A.init<Doc>(), (d) => void (d.items = ['offer: bread']));
    let relay = A.init<Doc>();
    let phoneSync = A.initSyncState();
    let relaySync = A.initSyncState();
    let ask: Uint8Array | null;
    [phoneSync, ask] = A.generateSyncMessage(phone, phoneSync);
    [relay, relaySync] = A.receiveSyncMessage(relay, relaySync, ask!);
    let reply: Uint8Array | null;
    [relaySync, reply] = A.generateSyncMessage(relay, relaySync);
    [phone, phoneSync] = A.receiveSyncMessage(phone, phoneSync, reply!);
    let push: Uint8Array | null;
    [phoneSync, push] = A.generateSyncMessage(phone, phoneSync);
    expect(A.decodeSyncMessage(push!).changes.length).toBe(1);

    adapter.receiveMessage(frame(ask!), socket as never);
    expect(socket.closed).toEqual([]);
    expect(passed).toHaveLength(1);
    adapter.receiveMessage(frame(push!), socket as never);
    expect(socket.closed).toEqual([[CLOSE.storageFull, STORAGE_FULL_REASON]]);
    expect(passed).toHaveLength(1); // the change never reached automerge-repo
    // Once the disk takes writes again the same change goes through.
    writable = true;
    adapter.receiveMessage(frame(push!), socket as never);
    expect(passed).toHaveLength(2);
    expect(socket.closed).toHaveLength(1);
  });
});
