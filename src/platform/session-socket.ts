import { cbor, type PeerId, type PeerMetadata } from '@automerge/automerge-repo/slim';
import { WebSocketClientAdapter } from '@automerge/automerge-repo-network-websocket';
import { SESSION_PATH, SESSION_QUERY, signSession, type SessionSigner } from '../core/protocol/session-auth.ts';
import { inviteSecretHash } from '../core/protocol/invite-secret.ts';
import { MAX_INFLATED_BYTES, MAX_OPS_AT_ONCE, type InflatedAhead } from '../core/sync/automerge-op-count.ts';
import { frameDeflatedParts, weighFrame } from '../core/sync/sync-changes.ts';
import { inflateAhead } from './native-inflate.ts';
import { DocOpLedger } from '../core/sync/doc-op-ledger.ts';
import { opsHeldIn, type HandlesById } from '../core/sync/ops-held.ts';
import { takeWholeDoc, type ArrivalHandles } from './whole-doc-arrival.ts';
import type { HubRefusal } from '../client/ports.ts';

/** WebSocket.OPEN: the same in the browser's WebSocket and in ws (Node 20 has no global WebSocket). */
const OPEN = 1;

/**
 * A frame with this many deflated bytes or more is inflated natively before it is weighed (a whole doc,
 * a big batch); smaller ones are weighed at once, as fflate does them in about a millisecond.
 */
const INFLATE_AHEAD_BYTES = 64 * 1024;

/**
 * How long a phone waits for a session challenge. A request on a Wi-Fi link that went away mid-way can
 * go unanswered for minutes, and while it is out no other connection is tried: the phone would stay
 * off the hub long after the link came back. Dropped at this limit, the next retry asks afresh.
 */
export const CHALLENGE_WAIT_MS = 15_000;

type Frame = { type?: unknown; documentId?: unknown; data?: unknown };

/** What a phone signs its sync session with: its identity key, and the community URLs it holds. */
export interface SessionCredentials {
  identity: SessionSigner;
  communityUrls: string[];
  /** A joining phone's invite-link secret by community URL: it proves the link at the handshake. */
  inviteSecrets?: Record<string, string>;
}

/** Where the relay hands out challenges, from its sync URL (ws://host/sync → http://host/api/session). */
export function challengeUrl(syncUrl: string): string {
  const u = new URL(syncUrl);
  u.protocol = u.protocol === 'wss:' ? 'https:' : 'http:';
  u.pathname = SESSION_PATH;
  u.search = '';
  return u.toString();
}

/**
 * automerge-repo's WebSocket client, but every (re)connection first answers a fresh challenge from the
 * relay (src/core/protocol/session-auth.ts). Without credentials yet, or with the relay out of reach,
 * it connects plainly: the relay refuses that, and the adapter's own retry comes back here.
 */
export class SessionWebSocketClientAdapter extends WebSocketClientAdapter {
  private connecting = false;
  private stopped = false;

  constructor(
    private readonly syncUrl: string,
    retryInterval: number,
    private readonly credentials: () => SessionCredentials | undefined | Promise<SessionCredentials | undefined>,
    private readonly fetchFn: typeof fetch = (...a) => fetch(...a),
    private readonly challengeWaitMs = CHALLENGE_WAIT_MS,
  ) {
    super(syncUrl, retryInterval);
    // The parent rethrows any socket error but a refused connection (Node only), which would be an
    // uncaught exception when the relay answers a handshake with 401 or 409. Every failed connection
    // is retried the same way, so none is thrown.
    (this as unknown as { onError: () => void }).onError = () => undefined;
  }

  /**
   * The parent takes its listeners off before closing; a socket still connecting then reports its
   * close (or a refused upgrade) as an 'error' nobody hears, which Node throws. Keep one listener on.
   */
  override disconnect(): void {
    // A challenge still being fetched must not open a socket after this: nobody would listen to it.
    this.stopped = true;
    this.socket?.addEventListener('error', () => undefined);
    super.disconnect();
  }

  override connect(peerId: PeerId, peerMetadata?: PeerMetadata): void {
    if (this.connecting || this.stopped || this.open()) return;
    this.connecting = true;
    void this.sessionUrl(peerId)
      .catch(() => this.syncUrl)
      .then((url) => {
        (this as { url: string }).url = url;
        this.connecting = false;
        // The parent's retry timer fires while a slow relay is still opening the last socket; that socket
        // may have opened while this challenge was fetched. Replacing an open socket would make the relay
        // drop this peer (and the answers it owes it) while this side, its listeners gone, never hears of
        // it: automerge-repo would wait for those answers for good (the joins that stalled under load).
        if (this.stopped || this.open()) return;
        const previous = this.socket;
        // The parent takes its listeners off the previous socket, which is still in its handshake: its
        // refusal would be an 'error' nobody hears, and if it opened later it would hold a session that
        // never joins. Close it.
        previous?.addEventListener('error', () => undefined);
        super.connect(peerId, peerMetadata);
        previous?.close();
      });
  }

  /**
   * What each doc has taken in: a hub can also grow one doc past what the phone could open again with
   * many messages each under the bound (DocOpLedger). Counts what the repo holds once `attachRepo` has
   * been told the repo (the adapter is made before it).
   */
  docOps = new DocOpLedger(() => undefined);

  /**
   * The repo this adapter feeds: each doc is weighed against what the repo holds of it, and a doc the
   * repo waits for may arrive whole (takeWholeDoc). `limit` is for tests (the product's is MAX_OPS_PER_DOC).
   */
  attachRepo(repo: HandlesById & ArrivalHandles, limit?: number): void {
    this.docOps = new DocOpLedger(opsHeldIn(repo), limit);
    this.repo = repo;
  }

  /** The repo this adapter feeds, once attached. */
  private repo: ArrivalHandles | undefined;

  /** Docs taken in whole on arrival (takeWholeDoc): tests check the path is taken. */
  wholeDocs = 0;

  /** Told of each message from the hub this phone did not take in (the status line counts them). */
  onRefused: (refusal: HubRefusal) => void = () => undefined;

  /**
   * The hub's messages are weighed before Automerge takes them in, as the relay weighs a phone's: a
   * hub that is seized or gone bad could otherwise end this phone's Automerge with one message of
   * millions of ops (about 350 bytes of wasm memory each while they load), and the app would not open
   * its docs again until the data was wiped. What is refused is dropped; the socket stays, so the rest
   * of the community's docs keep syncing.
   */
  override receiveMessage(messageBytes: Uint8Array): void {
    let frame: Frame | undefined;
    try {
      frame = cbor.decode(new Uint8Array(messageBytes)) as Frame;
    } catch {
      frame = undefined; // the parent logs and drops what does not decode
    }
    const parts = frame && typeof frame.type === 'string' ? frameDeflatedParts(frame.type, frame.data) : [];
    const big = parts.reduce((n, p) => n + p.byteLength, 0) >= INFLATE_AHEAD_BYTES;
    if (!big && this.behind === 0) return this.take(messageBytes, frame);
    // Frames are taken in the order they came: every frame after a big one waits its turn.
    const socket = this.socket;
    if (big) this.inflatedAhead++;
    this.behind++;
    this.intake = this.intake
      .then(async () => {
        const ahead = big ? await inflateAhead(parts, MAX_INFLATED_BYTES) : undefined;
        // A frame of a socket that has closed since is dropped: its sync starts over on the next socket.
        if (this.socket === socket && this.open()) this.take(messageBytes, frame, ahead);
      })
      .catch((err: unknown) => console.error(err))
      .finally(() => void this.behind--);
  }

  /** Frames inflated natively before they were weighed (tests check the path is taken). */
  inflatedAhead = 0;
  /** Frames waiting behind one whose deflated parts are being inflated, and the end of that line. */
  private behind = 0;
  private intake: Promise<void> = Promise.resolve();

  private take(messageBytes: Uint8Array, frame: Frame | undefined, ahead?: InflatedAhead): void {
    if (frame && typeof frame.type === 'string') {
      const weight = weighFrame(frame.type, frame.data, MAX_OPS_AT_ONCE, ahead);
      if ('refused' in weight) return this.onRefused({ documentId: String(frame.documentId), reason: weight.refused });
      if (typeof frame.documentId === 'string' && !this.docOps.admit(frame.documentId, weight.ops)) {
        return this.onRefused({ documentId: frame.documentId, reason: 'too-many-ops' });
      }
      if (frame.type === 'sync' && typeof frame.documentId === 'string' && this.repo && takeWholeDoc(this.repo, frame.documentId, frame.data)) {
        this.wholeDocs++;
        return;
      }
    }
    super.receiveMessage(messageBytes);
  }

  private open(): boolean {
    return this.socket?.readyState === OPEN;
  }

  private async sessionUrl(peerId: PeerId): Promise<string> {
    const creds = await this.credentials();
    if (!creds) return this.syncUrl;
    const res = await this.fetchFn(challengeUrl(this.syncUrl), { cache: 'no-store', signal: AbortSignal.timeout(this.challengeWaitMs) });
    const { challenge } = (await res.json()) as { challenge?: unknown };
    if (typeof challenge !== 'string') return this.syncUrl;
    const docIds = creds.communityUrls.map((u) => {
      const secret = creds.inviteSecrets?.[u];
      return { docId: u.replace(/^automerge:/, ''), ...(secret ? { secretHash: inviteSecretHash(secret) } : {}) };
    });
    const u = new URL(this.syncUrl);
    u.searchParams.set(SESSION_QUERY, signSession(creds.identity, challenge, peerId, docIds));
    return u.toString();
  }
}
