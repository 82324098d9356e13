import { cbor } from '@automerge/automerge-repo/slim';
import { WebSocketServerAdapter } from '@automerge/automerge-repo-network-websocket';
import type { Socket } from 'node:net';
import type { WebSocket } from 'ws';
import { EarlyRequests } from './early-requests.ts';
import { carriesChanges, weighFrame } from '../src/core/sync/sync-changes.ts';
import { DocOpLedger } from '../src/core/sync/doc-op-ledger.ts';
import type { Logger } from './log.ts';
import type { Session } from './session-gate.ts';
import { SYNC_QUOTA, type SyncAccess } from './sync-access.ts';
import { TokenBuckets } from './token-buckets.ts';

/**
 * The adapter pings every phone each interval and drops one that has not answered the last ping. Its
 * default 5 s dropped phones that were busy taking in a community's docs (a burst of 10,000 offers keeps
 * a phone's event loop busy for longer than that), which then waited 5 s more to reconnect and started
 * over. A phone that is really gone is still dropped within two intervals.
 */
export const PHONE_KEEPALIVE_MS = 30_000;

/**
 * What one socket may have waiting past its message budget: frames ws had read before the pause took
 * hold. A phone's first sync stays far below; a socket that piles up more is closed as over quota.
 */
export const HELD_FRAMES = { count: 20_000, bytes: 32 * 1024 * 1024 } as const;

/** Close codes a phone (or a test) can tell apart. */
export const CLOSE = { badFrame: 1008, notYours: 1008, overQuota: 1013, storageFull: 1013, removed: 4403 } as const;

/** The close reason for a message whose changes are more than the relay takes in at once (SYNC_QUOTA.ops). */
export const TOO_MANY_OPS_REASON = 'too many changes in one message';
/** The close reason for changes that would grow a doc past what the relay can open again (DocOpLedger). */
export const DOC_FULL_REASON = 'document would grow past what the relay can open';

/** The close reason a removed member's phone gets when the organisers' removal reaches the hub. */
export const REMOVED_REASON = 'removed from the community by its organisers';

/** The close reason a phone gets for a change the hub cannot save now (its disk refuses writes). */
export const STORAGE_FULL_REASON = 'hub storage full; changes kept on the phone, try again later';

/** How long one turn may take a socket's held frames before others get the event loop. */
const DRAIN_TURN_MS = 2;

/**
 * Answers written within one turn of the event loop leave the relay in one write: answering 10,000
 * requests for unknown docs was 10,000 writev calls, a quarter of the relay's CPU under that flood.
 * ws keeps the TCP socket as `_socket` and corks it around each frame itself; corks nest, so frames
 * written before the next tick wait for this one's uncork.
 */
function batchWrites(socket: WebSocket): void {
  const tcp = (socket as unknown as { _socket?: Socket })._socket;
  if (!tcp || tcp.writableCorked > 0) return;
  tcp.cork();
  process.nextTick(() => tcp.uncork());
}

interface Frame {
  type?: unknown;
  senderId?: unknown;
  documentId?: unknown;
  data?: unknown;
}

/**
 * automerge-repo's server adapter, for sockets that passed the session handshake (server.ts) only.
 * Every frame is checked before automerge-repo sees it:
 *  - a frame that does not decode, or that speaks for another peer id than the session's, closes the
 *    socket (the adapter asserts on malformed frames, and a throw from a 'message' handler would take
 *    the whole relay down);
 *  - a join with a peer id that a live socket of another key holds is refused: the live phone stays;
 *  - a frame about a doc goes through SyncAccess: a doc the session may not touch, or one the relay has
 *    never heard of, is answered "unavailable" at once, without a DocHandle being made for it;
 *  - each socket has a message budget; beyond it the relay stops reading that socket for a while;
 *  - while the document storage is read-only (a full disk), a frame carrying changes closes its socket
 *    before they are applied: the phone keeps them as unsent and sends them again on a later connection
 *    (a new connection starts a fresh sync state), while frames that only ask for docs are served.
 */
export class GuardedWebSocketServerAdapter extends WebSocketServerAdapter {
  private readonly sessionOf = new WeakMap<WebSocket, Session>();
  private readonly rate = new TokenBuckets(SYNC_QUOTA.messages, 100_000);
  /** Requests for docs a socket may not have or nobody has: cheap to answer, but a flood of them is not. */
  private readonly missRate = new TokenBuckets(SYNC_QUOTA.misses, 100_000);
  private readonly paused = new WeakSet<WebSocket>();
  /** Frames a socket sent past its budget, in order (see receiveMessage). */
  private readonly held = new Map<WebSocket, { frames: Uint8Array[]; bytes: number }>();
  private nextSocketId = 0;
  private readonly socketIds = new WeakMap<WebSocket, string>();
  /** Joined peers automerge-repo has not been told of yet (no frame about a doc from them so far). */
  private readonly quiet = new Map<string, unknown[]>();
  /** Requests for docs nobody had listed yet, replayed when a community lists them. */
  private readonly early = new EarlyRequests();
  /** The event emitter's own emit, for announcing a quiet peer past the hold-back below. */
  private readonly emitNow: (event: string, ...args: unknown[]) => boolean;

  /** What each doc has taken in (DocOpLedger); relay/repo.ts counts what the repo holds once it exists. */
  docOps = new DocOpLedger(() => undefined);

  constructor(
    server: ConstructorParameters<typeof WebSocketServerAdapter>[0],
    private readonly log: Logger,
    private readonly access: SyncAccess,
    private readonly onMessage: () => void = () => undefined,
    private readonly docsWritable: () => boolean = () => true,
  ) {
    super(server, PHONE_KEEPALIVE_MS);
    this.emitNow = this.emit.bind(this) as (event: string, ...args: unknown[]) => boolean;
    this.holdBackQuietPeers();
  }

  /** Peers joined but not yet announced to automerge-repo, requests waiting for a doc, frames past a budget (for /api/status). */
  peerCounts(): { quietPeers: number; earlyRequests: number; heldFrames: number } {
    let heldFrames = 0;
    for (const q of this.held.values()) heldFrames += q.frames.length;
    return { quietPeers: this.quiet.size, earlyRequests: this.early.size, heldFrames };
  }

  /**
   * A community now lists `docId`: the requests phones made for it before are handed to automerge-repo
   * as if made now, for the sessions that may read it. It answers with the doc, or, when the doc is
   * still on its way, remembers who asked and syncs it to them when it arrives.
   */
  docListed(docId: string): void {
    for (const { socket, frame } of this.early.take(docId)) {
      const session = this.sessionOf.get(socket);
      if (!session || this.sockets[session.peer as never] !== socket || !this.access.mayRead(session, docId)) continue;
      this.announce(session.peer);
      try {
        super.receiveMessage(frame, socket);
      } catch (err) {
        this.log.warn({ err: String(err) }, 'replaying an early request failed');
      }
    }
  }

  /** The session of the live socket joined as `peerId`, if any. */
  sessionOfPeer(peerId: string): Session | undefined {
    const socket = this.sockets[peerId as never] as WebSocket | undefined;
    return socket ? this.sessionOf.get(socket) : undefined;
  }

  /** Whether a live socket of another key holds this session's peer id. */
  peerTaken(s: Session): boolean {
    const live = this.sessionOfPeer(s.peer);
    return live !== undefined && live.key !== s.key;
  }

  /**
   * Closes every live socket whose session `end` says may not go on (its key was just removed from a
   * community it syncs): sessions are judged at the handshake, so without this a removed member would
   * keep reading and writing until they reconnect. Returns how many were closed.
   */
  closeSessions(sockets: Iterable<WebSocket>, end: (s: Session) => boolean, code: number, reason: string): number {
    let n = 0;
    for (const socket of sockets) {
      const session = this.sessionOf.get(socket);
      if (!session || !end(session)) continue;
      this.log.info({ peer: session.peer, reason }, 'closing a sync session');
      socket.close(code, reason);
      n++;
    }
    return n;
  }

  /** Ties an upgraded socket to the session it proved; called before the socket is announced. */
  attach(socket: WebSocket, s: Session): void {
    this.sessionOf.set(socket, s);
    this.socketIds.set(socket, String(this.nextSocketId++));
    socket.once('close', () => {
      this.rate.forget(this.socketIds.get(socket)!);
      this.missRate.forget(this.socketIds.get(socket)!);
      this.held.delete(socket);
    });
  }

  /**
   * Every frame from a phone. Pausing a socket stops reading it, but ws has often read (and goes on
   * emitting) many more frames by then: 10,000 requests sent at once were all answered within a second,
   * past a budget of 4,000 then 400 a second. So frames that come while a socket is paused, or while
   * frames it sent earlier still wait, wait in order behind them and are taken as the budget refills.
   */
  override receiveMessage(messageBytes: Uint8Array, socket: WebSocket): void {
    if (this.paused.has(socket) || this.held.has(socket)) return this.hold(socket, messageBytes);
    this.take(messageBytes, socket);
  }

  private take(messageBytes: Uint8Array, socket: WebSocket): void {
    this.onMessage();
    const session = this.sessionOf.get(socket);
    if (!session) return socket.close(CLOSE.notYours, 'no session');
    let frame: Frame;
    try {
      frame = cbor.decode(messageBytes) as Frame;
    } catch {
      return this.refuseSocket(socket, CLOSE.badFrame, 'bad frame');
    }
    if (typeof frame !== 'object' || frame === null || typeof frame.type !== 'string') return this.refuseSocket(socket, CLOSE.badFrame, 'bad frame');
    if (frame.senderId !== session.peer) return this.refuseSocket(socket, CLOSE.notYours, 'not your peer id');
    if (frame.type === 'join') {
      const live = this.sockets[session.peer as never] as WebSocket | undefined;
      if (live && live !== socket && this.sessionOf.get(live)?.key !== session.key) return this.refuseSocket(socket, CLOSE.notYours, 'peer id in use');
    } else if (frame.documentId !== undefined) {
      if (typeof frame.documentId !== 'string') return this.refuseSocket(socket, CLOSE.badFrame, 'bad frame');
      const bytes = frame.data instanceof Uint8Array ? frame.data.byteLength : 0;
      const writes = frame.type === 'sync' || frame.type === 'request';
      const weight = weighFrame(frame.type, frame.data, SYNC_QUOTA.ops.perMessage);
      if ('refused' in weight) {
        // Changes that cannot be read are a bad frame; readable ones past the bound are over quota.
        if (weight.refused === 'unreadable') return this.refuseSocket(socket, CLOSE.badFrame, 'bad frame');
        this.access.counts.tooManyOps++;
        return this.refuseSocket(socket, CLOSE.overQuota, TOO_MANY_OPS_REASON);
      }
      const verdict = this.access.judge(session, frame.type, frame.documentId, bytes, weight.ops);
      if (verdict === 'over-quota') return this.refuseSocket(socket, CLOSE.overQuota, 'over quota');
      if (verdict === 'refuse') {
        if (frame.type === 'request' && !this.access.isKnown(frame.documentId)) this.early.remember(frame.documentId, socket, messageBytes);
        this.unavailable(socket, session, frame.type, frame.documentId);
        return this.throttle(socket, this.missRate);
      }
      if (!this.docsWritable() && writes && carriesChanges(frame.data)) {
        return this.refuseSocket(socket, CLOSE.storageFull, STORAGE_FULL_REASON);
      }
      if (!this.docOps.admit(frame.documentId, weight.ops)) {
        this.access.counts.docFull++;
        return this.refuseSocket(socket, CLOSE.overQuota, DOC_FULL_REASON);
      }
      this.announce(session.peer);
    }
    try {
      super.receiveMessage(messageBytes, socket);
    } catch (err) {
      this.log.warn({ err: String(err) }, 'bad sync frame from a peer; closing its socket');
      socket.close(CLOSE.badFrame, 'bad frame');
    }
    this.throttle(socket);
  }

  /**
   * automerge-repo weighs every peer it knows on every sync message it takes in (its share policy is
   * awaited once per known peer, in one unbroken run of microtasks), so 2,000 sockets that joined and
   * stay quiet made each honest phone's message cost 2,000 policy calls while nothing else, /api/status
   * included, got a turn. A joined socket still gets its 'peer' answer at once, but automerge-repo
   * learns of it only with its first frame about a doc it may touch. The relay never offers docs
   * (announce is off), so a peer it does not know of misses nothing.
   */
  private holdBackQuietPeers(): void {
    (this as unknown as { emit: (event: string, ...args: unknown[]) => boolean }).emit = (event, ...args) => {
      const peer = (args[0] as { peerId?: unknown } | undefined)?.peerId;
      if (typeof peer === 'string') {
        if (event === 'peer-candidate') {
          this.quiet.set(peer, args);
          return true;
        }
        // A peer automerge-repo never heard of leaves without it hearing of that either.
        if (event === 'peer-disconnected' && this.quiet.delete(peer)) return true;
      }
      return this.emitNow(event, ...args);
    };
  }

  private announce(peer: string): void {
    const args = this.quiet.get(peer);
    if (!args) return;
    this.quiet.delete(peer);
    this.emitNow('peer-candidate', ...args);
  }

  /** A request for a doc the session may not have gets the same answer as one the relay lacks. */
  private unavailable(socket: WebSocket, s: Session, type: string, documentId: string): void {
    if ((type !== 'request' && type !== 'sync') || this.sockets[s.peer as never] !== socket) return;
    batchWrites(socket);
    this.send({ type: 'doc-unavailable', senderId: this.peerId!, targetId: s.peer as never, documentId: documentId as never });
  }

  /** Stops reading a socket that spent its message budget until the budget has refilled. */
  private throttle(socket: WebSocket, bucket: TokenBuckets = this.rate): void {
    const id = this.socketIds.get(socket)!;
    const now = Date.now();
    if (bucket.take(id, 1, now) || this.paused.has(socket)) return;
    this.paused.add(socket);
    socket.pause();
    // A socket closed meanwhile (the phone left, or the relay is closing) has nothing to resume.
    const closed = (): void => clearTimeout(resume);
    const resume = setTimeout(() => {
      socket.off('close', closed);
      this.paused.delete(socket);
      socket.resume();
      this.drain(socket);
    }, Math.max(10, bucket.waitMs(id, 1, now)));
    resume.unref();
    socket.once('close', closed);
  }

  /** Keeps a frame that came past the socket's budget; a socket that piles up more is closed. */
  private hold(socket: WebSocket, frame: Uint8Array): void {
    let q = this.held.get(socket);
    if (!q) this.held.set(socket, (q = { frames: [], bytes: 0 }));
    if (q.frames.length >= HELD_FRAMES.count || q.bytes + frame.byteLength > HELD_FRAMES.bytes) {
      this.held.delete(socket);
      return this.refuseSocket(socket, CLOSE.overQuota, 'over quota');
    }
    q.frames.push(frame);
    q.bytes += frame.byteLength;
  }

  /**
   * Takes held frames in order until the budget pauses the socket again, at most DRAIN_TURN_MS of them a
   * turn (others' frames get theirs between). One frame a turn cost a turn, and a write, per frame: the
   * budget refills ten at a time, and a flood of requests for unknown docs is all small frames.
   */
  private drain(socket: WebSocket): void {
    const until = performance.now() + DRAIN_TURN_MS;
    for (;;) {
      const q = this.held.get(socket);
      if (!q || this.paused.has(socket) || socket.readyState !== socket.OPEN) return;
      const frame = q.frames.shift()!;
      q.bytes -= frame.byteLength;
      if (q.frames.length === 0) this.held.delete(socket);
      this.take(frame, socket);
      if (performance.now() >= until) break;
    }
    if (this.held.has(socket)) setImmediate(() => this.drain(socket));
  }

  private refuseSocket(socket: WebSocket, code: number, reason: string): void {
    this.log.warn({ reason }, 'sync frame refused; closing the socket');
    socket.close(code, reason);
  }
}
