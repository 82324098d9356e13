import { Repo, type DocHandle, type DocumentId } from '@automerge/automerge-repo';
import { DocOpLedger } from '../src/core/sync/doc-op-ledger.ts';
import { opsHeldIn } from '../src/core/sync/ops-held.ts';
import { WebSocketServer } from 'ws';
import path from 'node:path';
import { DocStorage } from './doc-storage.ts';
import { EncryptedStorageAdapter } from '../src/core/vault/storage-adapter.ts';
import type { Logger } from './log.ts';
import { GuardedWebSocketServerAdapter } from './ws-adapter.ts';
import type { SyncAccess } from './sync-access.ts';

export interface RelayRepo {
  repo: Repo;
  wss: WebSocketServer;
  /** The phones' sync endpoint: sockets are attached to their session here before they are announced. */
  phones: GuardedWebSocketServerAdapter;
  /** The documents on disk: read-only while the disk refuses writes (shown in /api/status). */
  storage: DocStorage;
  /** Docs changed in memory but not yet written to disk — an operational health figure. */
  unsaved(): number;
  /**
   * Doc handles held in memory, and phones automerge-repo weighs on every message vs. joined phones that
   * have not asked for a doc yet: what a flood of requests for unknown doc ids must not grow.
   */
  syncLoad(): { handles: number; syncingPeers: number; quietPeers: number; earlyRequests: number; heldFrames: number };
  watch(handle: DocHandle<unknown>): void;
  /** What each doc has taken in, from phones and other relays alike: no doc grows past what this relay can open again. */
  docOps: DocOpLedger;
  /** Called with a doc id whenever a watched doc's heads change (phone edits, bridge arrivals). */
  onChange(fn: (id: DocumentId) => void): void;
  /** Called on every sync message from a phone (background work waits while phones are syncing). */
  onPhoneMessage(fn: () => void): void;
  close(): Promise<void>;
}

/**
 * The relay's replica: file-system storage plus a WebSocket endpoint for phones. It never announces
 * documents (phones ask for what they know the URL of: URLs are unguessable capabilities), and it
 * flushes each changed doc promptly so an acknowledged change survives a SIGKILL.
 */
export function createRelayRepo(
  dataDir: string,
  limits: { maxMessageBytes: number; maxDocOps: number },
  log: Logger,
  access: SyncAccess,
  /** A sealed data dir's key: every chunk is sealed under it (the phones' own adapter) before it reaches the disk. */
  dataKey?: Uint8Array,
  storage = new DocStorage(path.join(dataDir, 'repo'), { logger: log }),
): RelayRepo {
  // One phone message per event-loop turn: by default ws hands every frame of a TCP read to us in one
  // synchronous run, so a socket pouring in thousands of small requests kept /api/status and every
  // other phone waiting until its whole read was worked through (2.6 s of one busy stretch in the
  // sessions benchmark). Deferred, the frames of all sockets and HTTP requests take turns.
  const wss = new WebSocketServer({ noServer: true, maxPayload: limits.maxMessageBytes, allowSynchronousEvents: false });
  const messageListeners: Array<() => void> = [];
  wss.on('connection', (socket) => {
    socket.on('error', (err) => log.warn({ err: err.message }, 'phone socket error'));
  });
  // ws types differ by a minor version between us and the adapter; the runtime object is the same.
  const phones = new GuardedWebSocketServerAdapter(wss as never, log, access, () => messageListeners.forEach((fn) => fn()), () => !storage.readOnly);
  const repo = new Repo({
    // A sealed chunk that no longer opens is left out of its document's load and set aside, as a damaged one is in the clear.
    storage: dataKey ? new EncryptedStorageAdapter(storage, dataKey, undefined, (key, err) => void storage.setAside(key, err.code)) : storage,
    network: [phones],
    // The adapter already refuses frames about docs a phone may not have; this also keeps the relay from
    // ever offering one (a doc's changes go only to sessions entitled to that doc).
    shareConfig: {
      announce: async () => false,
      access: async (peer, doc) => {
        const s = phones.sessionOfPeer(peer);
        return s !== undefined && access.mayRead(s, doc);
      },
    },
    saveDebounceRate: 20,
  });
  const docOps = new DocOpLedger(opsHeldIn(repo), limits.maxDocOps);
  phones.docOps = docOps;
  const dirty = new Set<DocumentId>();
  const watched = new Set<DocumentId>();
  const listeners: Array<(id: DocumentId) => void> = [];
  let flushing: Promise<void> = Promise.resolve();

  function flushSoon(id: DocumentId): void {
    dirty.add(id);
    flushing = flushing
      .then(() => repo.flush([id]))
      .then(() => void dirty.delete(id))
      .catch((err) => log.error({ err: String(err), doc: id }, 'could not write document to disk'));
  }

  function watch(handle: DocHandle<unknown>): void {
    if (watched.has(handle.documentId)) return;
    watched.add(handle.documentId);
    handle.on('heads-changed', () => {
      flushSoon(handle.documentId);
      for (const fn of listeners) fn(handle.documentId);
    });
  }
  // Docs are watched once a community lists them (relay/communities.ts). automerge-repo 2.5 declares a
  // 'document' event but never emits it, so a listener here (there was one) watched nothing; a doc a
  // phone pushes before it is listed is saved by automerge-repo itself on every change (debounced 20 ms).

  return {
    repo,
    wss,
    phones,
    storage,
    unsaved: () => dirty.size,
    syncLoad: () => ({ handles: Object.keys(repo.handles).length, syncingPeers: repo.peers.length, ...phones.peerCounts() }),
    watch,
    docOps,
    onChange: (fn) => void listeners.push(fn),
    onPhoneMessage: (fn) => void messageListeners.push(fn),
    async close() {
      for (const c of wss.clients) c.terminate();
      wss.close();
      await flushing;
      await repo.flush();
      await repo.shutdown();
      await storage.close();
    },
  };
}
