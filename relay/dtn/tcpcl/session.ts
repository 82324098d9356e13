// One TCPCLv4 session over a connected socket: contact header exchange,
// SESS_INIT negotiation, transfers both ways, keepalive and termination.

import { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';
import {
  Defaults,
  MessageType,
  MsgRejectReason,
  SessTermFlags,
  SessTermReason,
  TCPCL_VERSION,
} from './constants.ts';
import { TcpclStreamDecoder } from './decoder.ts';
import { encodeContactHeader, encodeFrame } from './encode.ts';
import { TcpclDecodeError, TcpclError, TcpclSessionEndedError, type DownCause } from './errors.ts';
import { KNOWN_SESSION_EXTENSIONS, unknownCriticalItem } from './extensions.ts';
import { IncomingTransfers } from './incoming.ts';
import type { ContactHeader, SessInit, TcpclFrame, TcpclMessage } from './messages.ts';
import { isValidNodeId } from './node-id.ts';
import { OutgoingTransfers } from './outgoing.ts';
import { toSafeNumber } from './bytes.ts';

export interface BundleInfo {
  transferId: bigint;
  peerNodeId: string;
}

export interface TcpclSessionOptions {
  /** Our node ID, e.g. 'dtn://relay-a/'. */
  nodeId: string;
  /** Keepalive interval we offer (seconds, 0 disables). Default 15. */
  keepaliveSec?: number;
  /** Largest segment we accept. Default 64 KiB. */
  segmentMru?: number;
  /** Largest bundle we accept. Default 16 MiB. */
  transferMru?: number;
  /** Stores a received bundle; the final XFER_ACK is sent only after it resolves. */
  onBundle: (bytes: Uint8Array, info: BundleInfo) => Promise<void>;
  /** Cap on the segments we send, below the peer's Segment MRU. Default 1 MiB. */
  maxSendSegment?: number;
  /** Transfers we may have sent and not yet seen acknowledged (RFC 9174 allows several). Default 16. */
  maxInFlight?: number;
  handshakeTimeoutMs?: number;
  closeTimeoutMs?: number;
  maxExtensionBytes?: number;
  /** Received bundles being stored at once (count, bytes) before we stop reading. Default 256, 32 MiB. */
  maxReceiving?: number;
  maxReceivingBytes?: number;
  /** Our output the peer has not read yet before we end the session. Default 32 MiB. */
  maxUnsentBytes?: number;
}

export interface SessionParams {
  keepaliveSec: number;
  peerSegmentMru: number;
  peerTransferMru: number;
}

export interface DownInfo {
  cause: DownCause;
  /** SESS_TERM reason code, when the session ended with one. */
  termReason?: number;
  error?: Error;
}

export interface ProgressInfo {
  direction: 'in' | 'out';
  transferId: bigint;
  bytes: number;
  totalBytes: number | undefined;
}

/** We stopped or resumed reading the peer's input (backpressure while we store its bundles). */
export interface FlowInfo {
  reading: boolean;
}

/** An incoming transfer we refused (XFER_REFUSE sent, or queued behind earlier acks). */
export interface RefusedInfo {
  transferId: bigint;
  reason: number;
}

type ResolvedOptions = Required<TcpclSessionOptions>;

type State = 'contact' | 'init' | 'up' | 'ending' | 'down';

export class TcpclSession extends EventEmitter {
  peerNodeId: string | undefined;
  params: SessionParams | undefined;
  /** Every TCPCL byte written to / read from the socket, contact header included. */
  bytesSent = 0;
  bytesReceived = 0;
  readonly ready: Promise<void>;

  private state: State = 'contact';
  private readonly opts: ResolvedOptions;
  private readonly decoder: TcpclStreamDecoder;
  private readonly tx: OutgoingTransfers;
  private readonly rx: IncomingTransfers;
  private sentTerm = false;
  private receivedTerm = false;
  private endCause: DownCause | undefined;
  private termReason: number | undefined;
  private lastError: Error | undefined;
  private lastSentAt = Date.now();
  private lastReceivedAt = Date.now();
  private handshakeTimer: NodeJS.Timeout | undefined;
  private liveTimer: NodeJS.Timeout | undefined;
  private closeTimer: NodeJS.Timeout | undefined;
  private settleReady!: { resolve: () => void; reject: (e: Error) => void };
  /** We stopped reading the socket because too many received bundles are still being stored. */
  private inputHeld = false;

  constructor(
    private readonly socket: Socket,
    readonly role: 'active' | 'passive',
    options: TcpclSessionOptions,
  ) {
    super();
    this.opts = validateSessionOptions(options);
    this.ready = new Promise<void>((resolve, reject) => (this.settleReady = { resolve, reject }));
    this.ready.catch(() => undefined); // callers that never await ready must not see an unhandled rejection
    this.decoder = new TcpclStreamDecoder({
      maxSegmentData: this.opts.segmentMru,
      maxExtensionBytes: this.opts.maxExtensionBytes,
    });
    this.tx = new OutgoingTransfers(this.txPort(), this.opts.maxSendSegment, this.opts.maxInFlight);
    this.rx = new IncomingTransfers(this.rxPort());
    socket.setNoDelay(true);
    socket.on('data', (chunk: Uint8Array) => this.onData(chunk));
    socket.on('error', (err) => this.onSocketError(err));
    socket.on('close', () => this.finish());
    this.handshakeTimer = setTimeout(() => this.onHandshakeTimeout(), this.opts.handshakeTimeoutMs);
    if (role === 'active') this.write(encodeContactHeader(0));
  }

  get isUp(): boolean {
    return this.state === 'up';
  }

  get isDown(): boolean {
    return this.state === 'down';
  }

  /** Transfers queued or in flight from our side. */
  get pendingTransfers(): number {
    return this.tx.queued;
  }

  /**
   * Sends one bundle. Resolves only when the peer acknowledged its full length
   * (i.e. stored it); several calls may be outstanding, sent in call order; rejects with TcpclTransferRefusedError, TcpclTransferTooLargeError
   * or TcpclSessionEndedError otherwise, so the caller keeps the bundle.
   */
  sendBundle(bytes: Uint8Array): Promise<void> {
    if (this.state === 'down' || this.state === 'ending' || this.sentTerm) {
      return Promise.reject(this.endedError());
    }
    return this.tx.enqueue(bytes);
  }

  /** Clean termination: SESS_TERM handshake, in-flight transfers may finish. Resolves when down. */
  close(reason: number = SessTermReason.Unknown): Promise<void> {
    if (this.state === 'down') return Promise.resolve();
    const down = new Promise<void>((resolve) => this.once('down', () => resolve()));
    if (this.state === 'up' || this.state === 'ending') this.initiateTerm(reason, 'local-close');
    else this.abort('local-close', this.contactSent() ? reason : undefined);
    return down;
  }

  /** Abrupt end: the TCP connection is destroyed at once; partial transfers are dropped. */
  destroy(): void {
    this.endCause ??= 'destroyed';
    this.socket.destroy();
  }

  // --- input ---------------------------------------------------------------

  private onData(chunk: Uint8Array): void {
    this.bytesReceived += chunk.length;
    this.lastReceivedAt = Date.now();
    if (this.endCause && this.state !== 'ending') return; // closing after an error: ignore input
    this.decoder.push(chunk);
    // Bounded: each iteration consumes buffered bytes or returns.
    for (;;) {
      if (this.state === 'down' || (this.endCause && this.state !== 'ending')) return;
      let frame: TcpclFrame | null;
      try {
        frame = this.decoder.next();
      } catch (err) {
        this.onDecodeError(err as TcpclDecodeError);
        if ((err as TcpclDecodeError).fatal) return;
        continue;
      }
      if (!frame) return this.updateInputFlow();
      this.onFrame(frame);
    }
  }

  /**
   * Backpressure: a peer may pipeline transfers faster than we store them. We stop reading while
   * too many of its bundles are still being stored, so they never pile up in memory; reading
   * resumes as stores finish. The peer's own sends then wait on TCP.
   */
  private updateInputFlow(): void {
    if (this.state === 'down') return;
    const o = this.opts;
    const held = this.rx.delivering >= o.maxReceiving || this.rx.deliveringBytes >= o.maxReceivingBytes;
    if (held === this.inputHeld) return;
    this.inputHeld = held;
    if (held) this.socket.pause();
    else {
      this.socket.resume();
      this.lastReceivedAt = Date.now(); // time spent not reading was ours, not the peer's silence
    }
    this.emit('flow', { reading: !held } satisfies FlowInfo);
  }

  private onFrame(frame: TcpclFrame): void {
    if (frame.type === 'CONTACT') return this.onContact(frame);
    if (this.state === 'init') return this.onInitPhase(frame);
    switch (frame.type) {
      case 'XFER_SEGMENT':
        return this.rx.onSegment(frame);
      case 'XFER_ACK':
        if (!this.tx.onAck(frame)) this.reject(MsgRejectReason.Unexpected, MessageType.XFER_ACK);
        return;
      case 'XFER_REFUSE':
        if (!this.tx.onRefuse(frame)) this.reject(MsgRejectReason.Unexpected, MessageType.XFER_REFUSE);
        return;
      case 'KEEPALIVE':
        return;
      case 'SESS_TERM':
        return this.onTerm(frame.flags, frame.reason);
      case 'MSG_REJECT':
        return void this.emitError(new TcpclError('peer-rejected', `peer rejected message 0x${frame.rejectedHeader.toString(16)} (reason ${frame.reason})`));
      case 'SESS_INIT':
        return this.reject(MsgRejectReason.Unexpected, MessageType.SESS_INIT);
    }
  }

  private onContact(h: ContactHeader): void {
    if (h.version !== TCPCL_VERSION) {
      // RFC 9174 §4.3: the passive side answers with its header, then SESS_TERM; the active side just closes.
      if (this.role === 'passive') this.write(encodeContactHeader(0));
      return this.abort('version-mismatch', this.role === 'passive' ? SessTermReason.VersionMismatch : undefined);
    }
    // We never set CAN_TLS, so the negotiated Enable TLS (logical AND) is false whatever the
    // peer's flags say, and plaintext is our policy: nothing to check here.
    this.state = 'init';
    if (this.role === 'passive') this.write(encodeContactHeader(0));
    else this.sendMessage(this.ourSessInit());
  }

  private onInitPhase(frame: TcpclMessage): void {
    if (frame.type === 'SESS_TERM') return this.onTerm(frame.flags, frame.reason);
    if (frame.type !== 'SESS_INIT') return this.reject(MsgRejectReason.Unexpected, messageTypeOf(frame));
    const problem = checkPeerInit(frame);
    if (problem) return this.abort('contact-failure', SessTermReason.ContactFailure, new TcpclError('contact-failure', problem));
    if (this.role === 'passive') this.sendMessage(this.ourSessInit());
    this.peerNodeId = frame.nodeId;
    this.params = {
      keepaliveSec: Math.min(this.opts.keepaliveSec, frame.keepaliveSec),
      peerSegmentMru: toSafeNumber(frame.segmentMru),
      peerTransferMru: toSafeNumber(frame.transferMru),
    };
    this.state = 'up';
    clearTimeout(this.handshakeTimer);
    this.scheduleLiveness();
    this.settleReady.resolve();
    this.emit('up', { peerNodeId: frame.nodeId, params: this.params });
    this.tx.kick();
  }

  private onDecodeError(err: TcpclDecodeError): void {
    if (err.code === 'bad-magic') return this.abort('bad-contact-header', undefined, err);
    const inInit = this.state === 'init' || err.context.messageType === MessageType.SESS_INIT;
    if (inInit && this.state !== 'up' && this.state !== 'ending') {
      return this.abort('contact-failure', SessTermReason.ContactFailure, err);
    }
    if (!err.fatal && err.context.messageType === MessageType.XFER_SEGMENT && err.context.transferId !== undefined) {
      return this.rx.onMalformedStart(err.context.transferId);
    }
    if (!err.fatal) return this.reject(MsgRejectReason.Unexpected, err.context.messageType ?? 0);
    // Framing is lost: RFC 9174 §5.1.2 says reject and close the TCP connection.
    const reason = err.code === 'unknown-message-type' ? MsgRejectReason.TypeUnknown : MsgRejectReason.Unsupported;
    this.reject(reason, err.context.messageType ?? 0);
    this.abort('protocol-error', undefined, err);
  }

  private onTerm(flags: number, reason: number): void {
    this.receivedTerm = true;
    this.termReason ??= reason;
    this.endCause ??= 'peer-close';
    if (!this.sentTerm) {
      this.sentTerm = true;
      this.sendMessage({ type: 'SESS_TERM', flags: flags | SessTermFlags.REPLY, reason });
    }
    this.enterEnding();
  }

  // --- termination -----------------------------------------------------------

  private initiateTerm(reason: number, cause: DownCause): void {
    if (!this.sentTerm) {
      this.sentTerm = true;
      this.termReason ??= reason;
      this.endCause ??= cause;
      this.sendMessage({ type: 'SESS_TERM', flags: 0, reason });
    }
    this.enterEnding();
  }

  private enterEnding(): void {
    if (this.state === 'down') return;
    if (this.state !== 'up' && this.state !== 'ending') return this.abort(this.endCause ?? 'peer-close');
    this.state = 'ending';
    this.tx.rejectQueued(this.endedError());
    this.closeTimer ??= setTimeout(() => this.socket.destroy(), this.opts.closeTimeoutMs);
    this.maybeFinishClose();
  }

  private maybeFinishClose(): void {
    if (this.state !== 'ending' || !this.sentTerm || !this.receivedTerm) return;
    if (this.tx.busy || this.rx.busy) return;
    this.socket.end();
  }

  /** Ends the connection without the SESS_TERM handshake (optionally announcing a reason first). */
  private abort(cause: DownCause, termReason?: number, error?: Error): void {
    if (this.state === 'down') return;
    this.endCause ??= cause;
    this.lastError ??= error;
    if (termReason !== undefined && !this.sentTerm) {
      this.sentTerm = true;
      this.termReason ??= termReason;
      this.sendMessage({ type: 'SESS_TERM', flags: 0, reason: termReason });
    }
    if (error) this.emitError(error);
    this.socket.end();
    this.closeTimer ??= setTimeout(() => this.socket.destroy(), this.opts.closeTimeoutMs);
  }

  private finish(): void {
    if (this.state === 'down') return;
    const wasUp = this.state === 'up' || this.state === 'ending';
    this.state = 'down';
    for (const t of [this.handshakeTimer, this.liveTimer, this.closeTimer]) clearTimeout(t);
    const info: DownInfo = { cause: this.endCause ?? 'socket-closed', termReason: this.termReason, error: this.lastError };
    this.endCause = info.cause;
    this.rx.abort();
    this.tx.failAll(this.endedError());
    if (!wasUp) this.settleReady.reject(this.endedError());
    this.emit('down', info);
  }

  private onSocketError(err: Error): void {
    this.endCause ??= 'socket-error';
    this.lastError ??= err;
    this.emitError(err);
  }

  /**
   * No SESS_INIT in time. Once contact headers are exchanged the peer speaks TCPCL and is told why
   * (RFC 9174 §6.1: every termination after the contact header goes through SESS_TERM); before
   * that it may not be a TCPCL entity at all, and the TCP connection is simply closed (§4.1).
   */
  private onHandshakeTimeout(): void {
    this.abort('handshake-timeout', this.state === 'init' ? SessTermReason.IdleTimeout : undefined);
  }

  // --- keepalive ---------------------------------------------------------------

  private scheduleLiveness(): void {
    const k = (this.params?.keepaliveSec ?? 0) * 1000;
    if (k === 0 || this.state === 'down') return;
    const now = Date.now();
    const due = Math.min(this.lastSentAt + k, this.lastReceivedAt + 2 * k);
    this.liveTimer = setTimeout(() => this.onLivenessTimer(k), Math.max(10, due - now));
    this.liveTimer.unref();
  }

  private onLivenessTimer(k: number, afterIo = false): void {
    if (this.state !== 'up' && this.state !== 'ending') return;
    const now = Date.now();
    if (now - this.lastReceivedAt >= 2 * k && !afterIo) {
      // Timers run before pending socket reads: if this process was busy (a big apply), the peer's
      // keepalives may be waiting unread. Judge again once I/O has been polled.
      setImmediate(() => this.onLivenessTimer(k, true));
      return;
    }
    if (this.inputHeld) {
      // We stopped reading because our store is behind: the peer's silence is ours.
      if (now - this.lastSentAt >= k) this.sendMessage({ type: 'KEEPALIVE' });
      this.lastReceivedAt = now;
      return this.scheduleLiveness();
    }
    if (now - this.lastReceivedAt >= 2 * k) {
      // RFC 9174 §5.1.1: nothing heard for twice the interval ends the session; the peer is
      // presumed gone, so we do not wait for its SESS_TERM reply.
      return this.abort('idle-timeout', SessTermReason.IdleTimeout);
    }
    if (now - this.lastSentAt >= k) this.sendMessage({ type: 'KEEPALIVE' });
    this.scheduleLiveness();
  }

  // --- output ------------------------------------------------------------------

  private write(bytes: Uint8Array): boolean {
    if (this.socket.destroyed || this.socket.writableEnded) return false;
    this.bytesSent += bytes.length;
    this.lastSentAt = Date.now();
    const ok = this.socket.write(bytes);
    // Acks and refusals are written without waiting: a peer that sends but never reads would
    // make them pile up here for ever.
    if (!this.endCause && this.socket.writableLength > this.opts.maxUnsentBytes) {
      // It would never read a SESS_TERM either: announce the reason, then drop the connection.
      this.abort('peer-not-reading', SessTermReason.ResourceExhaustion);
      this.socket.destroy();
    }
    return ok;
  }

  private sendMessage(msg: TcpclMessage): boolean {
    return this.write(encodeFrame(msg));
  }

  private reject(reason: number, rejectedHeader: number): void {
    this.sendMessage({ type: 'MSG_REJECT', reason, rejectedHeader });
  }

  private drain(): Promise<void> {
    if (this.socket.destroyed || this.socket.writableEnded || !this.socket.writableNeedDrain) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const done = (): void => {
        this.socket.off('drain', done);
        this.socket.off('close', done);
        resolve();
      };
      this.socket.on('drain', done);
      this.socket.on('close', done);
    });
  }

  private ourSessInit(): SessInit {
    return {
      type: 'SESS_INIT',
      keepaliveSec: this.opts.keepaliveSec,
      segmentMru: BigInt(this.opts.segmentMru),
      transferMru: BigInt(this.opts.transferMru),
      nodeId: this.opts.nodeId,
      extensions: [],
    };
  }

  private contactSent(): boolean {
    return this.role === 'active' || this.state !== 'contact';
  }

  private endedError(): TcpclSessionEndedError {
    return new TcpclSessionEndedError(this.endCause ?? 'socket-closed', this.termReason);
  }

  private emitError(err: Error): void {
    // An unheard 'error' event would throw; errors are also reported through 'down'.
    if (this.listenerCount('error') > 0) this.emit('error', err);
  }

  private txPort() {
    return {
      limits: () => this.params,
      canStart: () => this.state === 'up' && !this.sentTerm,
      write: (b: Uint8Array) => this.write(b),
      drain: () => this.drain(),
      writable: () => !this.socket.destroyed && !this.socket.writableEnded,
      onProgress: (transferId: bigint, bytes: number, totalBytes: number) =>
        this.emit('progress', { direction: 'out', transferId, bytes, totalBytes } satisfies ProgressInfo),
      onIdle: () => this.maybeFinishClose(),
      onIdsExhausted: () => this.initiateTerm(SessTermReason.ResourceExhaustion, 'local-close'),
    };
  }

  private rxPort() {
    return {
      transferMru: this.opts.transferMru,
      send: (m: TcpclMessage) => void this.sendMessage(m),
      deliver: (bytes: Uint8Array, transferId: bigint) =>
        Promise.resolve().then(() => this.opts.onBundle(bytes, { transferId, peerNodeId: this.peerNodeId ?? '' })),
      ending: () => this.sentTerm || this.receivedTerm,
      unexpected: (type: number) => this.reject(MsgRejectReason.Unexpected, type),
      onProgress: (transferId: bigint, bytes: number, totalBytes: number | undefined) =>
        this.emit('progress', { direction: 'in', transferId, bytes, totalBytes } satisfies ProgressInfo),
      onIdle: () => this.maybeFinishClose(),
      onRefused: (transferId: bigint, reason: number) => this.emit('refused', { transferId, reason } satisfies RefusedInfo),
      onDelivered: () => this.updateInputFlow(),
    };
  }
}

/** Checks options and fills defaults; throws TcpclError('bad-option'). */
export function validateSessionOptions(o: TcpclSessionOptions): ResolvedOptions {
  if (!isValidNodeId(o.nodeId)) throw new TcpclError('bad-option', `nodeId must be a URI: ${o.nodeId}`);
  if (typeof o.onBundle !== 'function') throw new TcpclError('bad-option', 'onBundle is required');
  const opts = {
    nodeId: o.nodeId,
    onBundle: o.onBundle,
    keepaliveSec: o.keepaliveSec ?? Defaults.keepaliveSec,
    segmentMru: o.segmentMru ?? Defaults.segmentMru,
    transferMru: o.transferMru ?? Defaults.transferMru,
    maxSendSegment: o.maxSendSegment ?? 1024 * 1024,
    maxInFlight: o.maxInFlight ?? 16,
    handshakeTimeoutMs: o.handshakeTimeoutMs ?? Defaults.handshakeTimeoutMs,
    closeTimeoutMs: o.closeTimeoutMs ?? Defaults.closeTimeoutMs,
    maxExtensionBytes: o.maxExtensionBytes ?? Defaults.maxExtensionBytes,
    maxReceiving: o.maxReceiving ?? Defaults.maxReceiving,
    maxReceivingBytes: o.maxReceivingBytes ?? Defaults.maxReceivingBytes,
    maxUnsentBytes: o.maxUnsentBytes ?? Defaults.maxUnsentBytes,
  };
  checkInt(opts.keepaliveSec, 0, 0xffff, 'keepaliveSec');
  checkInt(opts.segmentMru, 1, Number.MAX_SAFE_INTEGER, 'segmentMru');
  checkInt(opts.transferMru, 0, Number.MAX_SAFE_INTEGER, 'transferMru');
  checkInt(opts.maxSendSegment, 1, Number.MAX_SAFE_INTEGER, 'maxSendSegment');
  checkInt(opts.maxInFlight, 1, 1024, 'maxInFlight');
  checkInt(opts.maxReceiving, 1, Number.MAX_SAFE_INTEGER, 'maxReceiving');
  checkInt(opts.maxReceivingBytes, 1, Number.MAX_SAFE_INTEGER, 'maxReceivingBytes');
  checkInt(opts.maxUnsentBytes, 1, Number.MAX_SAFE_INTEGER, 'maxUnsentBytes');
  return opts;
}

function checkInt(v: number, min: number, max: number, name: string): void {
  if (!Number.isInteger(v) || v < min || v > max) throw new TcpclError('bad-option', `${name} out of range: ${v}`);
}

/** Why a peer's SESS_INIT is unacceptable (RFC 9174 §4.7: Contact Failure), or undefined. */
function checkPeerInit(init: SessInit): string | undefined {
  if (init.nodeId !== '' && !isValidNodeId(init.nodeId)) return `peer node ID is not a URI: ${JSON.stringify(init.nodeId)}`;
  if (init.segmentMru === 0n) return 'peer segment MRU is zero';
  const critical = unknownCriticalItem(init.extensions, KNOWN_SESSION_EXTENSIONS);
  if (critical) return `unknown critical session extension 0x${critical.itemType.toString(16)}`;
  return undefined;
}

function messageTypeOf(m: TcpclMessage): number {
  return MessageType[m.type];
}
