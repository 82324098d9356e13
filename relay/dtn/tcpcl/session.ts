// One TCPCLv4 session over a connected socket: contact header exchange, the TLS upgrade when both
// sides offer it, SESS_INIT negotiation, transfers both ways and termination. Options live in
// session-options.ts, the contact header and TLS in handshake.ts, SESS_INIT checks in negotiation.ts,
// keepalives in keepalive.ts, the socket in connection.ts.

import { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';
import { TcpclConnection } from './connection.ts';
import { MessageType, MsgRejectReason, SessTermFlags, SessTermReason } from './constants.ts';
import { TcpclStreamDecoder } from './decoder.ts';
import { encodeFrame } from './encode.ts';
import { TcpclDecodeError, TcpclError, TcpclSessionEndedError, type DownCause } from './errors.ts';
import { IncomingTransfers } from './incoming.ts';
import { Liveness } from './keepalive.ts';
import type { TcpclFrame, TcpclMessage } from './messages.ts';
import { checkPeerInit, messageTypeOf, ourSessInit } from './negotiation.ts';
import { OutgoingTransfers } from './outgoing.ts';
import { toSafeNumber } from './bytes.ts';
import { validateSessionOptions, type DownInfo, type FlowInfo, type ProgressInfo, type RefusedInfo } from './session-options.ts';
import type { ResolvedOptions, SessionParams, TcpclSessionOptions } from './session-options.ts';
import { ContactExchange } from './handshake.ts';
import type { TlsPeer } from './tls-upgrade.ts';

export type * from './session-options.ts';
export { validateSessionOptions } from './session-options.ts';

type State = 'contact' | 'init' | 'up' | 'ending' | 'down';

export class TcpclSession extends EventEmitter {
  peerNodeId: string | undefined;
  params: SessionParams | undefined;
  /** Set once the session runs over TLS: who the peer's certificate says it is. */
  tls: TlsPeer | undefined;
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
  private readonly liveness: Liveness;
  private handshakeTimer: NodeJS.Timeout | undefined;
  private closeTimer: NodeJS.Timeout | undefined;
  private settleReady!: { resolve: () => void; reject: (e: Error) => void };
  /** We stopped reading the socket because too many received bundles are still being stored. */
  private inputHeld = false;

  private readonly conn: TcpclConnection;
  private readonly contact: ContactExchange;

  constructor(
    socket: Socket,
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
    this.liveness = new Liveness({
      live: () => this.state === 'up' || this.state === 'ending',
      inputHeld: () => this.inputHeld,
      sendKeepalive: () => void this.sendMessage({ type: 'KEEPALIVE' }),
      // RFC 9174 §5.1.1: the peer is presumed gone, so we do not wait for its SESS_TERM reply.
      idle: () => this.abort('idle-timeout', SessTermReason.IdleTimeout),
    });
    this.contact = new ContactExchange({
      role,
      tls: this.opts.tls,
      write: (b) => void this.write(b),
      buffered: () => this.decoder.buffered,
      abort: (cause, reason, err) => this.abort(cause, reason, err),
      upgrade: (onSecure) => this.conn.upgrade(role, this.opts.tls!, onSecure),
      init: (tls) => this.enterInit(tls),
    });
    this.conn = new TcpclConnection(socket, {
      data: (chunk) => this.onData(chunk),
      error: (err) => this.onSocketError(err),
      close: () => this.finish(),
    });
    this.handshakeTimer = setTimeout(() => this.onHandshakeTimeout(), this.opts.handshakeTimeoutMs);
    if (role === 'active') this.write(this.contact.ourHeader());
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
    this.conn.kill();
  }

  // --- input ---------------------------------------------------------------

  private onData(chunk: Uint8Array): void {
    this.bytesReceived += chunk.length;
    this.liveness.lastReceivedAt = Date.now();
    if (this.endCause && this.state !== 'ending') return; // closing after an error: ignore input
    this.decoder.push(chunk);
    // Bounded: each iteration consumes buffered bytes or returns.
    for (;;) {
      // During the TLS handshake the bytes are TLS records, not TCPCL: the TLS socket reads them.
      if (this.state === 'down' || this.contact.upgrading || (this.endCause && this.state !== 'ending')) return;
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
    if (held) this.conn.pause();
    else {
      this.conn.resume();
      this.liveness.lastReceivedAt = Date.now(); // time spent not reading was ours, not the peer's silence
    }
    this.emit('flow', { reading: !held } satisfies FlowInfo);
  }

  private onFrame(frame: TcpclFrame): void {
    if (frame.type === 'CONTACT') return this.contact.onPeerHeader(frame);
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

  private enterInit(tls: TlsPeer | undefined): void {
    if (this.state === 'down') return;
    this.tls = tls;
    this.state = 'init';
    if (this.role === 'active') this.sendMessage(ourSessInit(this.opts));
  }

  private onInitPhase(frame: TcpclMessage): void {
    if (frame.type === 'SESS_TERM') return this.onTerm(frame.flags, frame.reason);
    if (frame.type !== 'SESS_INIT') return this.reject(MsgRejectReason.Unexpected, messageTypeOf(frame));
    const problem = checkPeerInit(frame, this.tls?.nodeIds);
    if (problem) return this.abort('contact-failure', SessTermReason.ContactFailure, new TcpclError('contact-failure', problem));
    if (this.role === 'passive') this.sendMessage(ourSessInit(this.opts));
    this.peerNodeId = frame.nodeId;
    this.params = {
      keepaliveSec: Math.min(this.opts.keepaliveSec, frame.keepaliveSec),
      peerSegmentMru: toSafeNumber(frame.segmentMru),
      peerTransferMru: toSafeNumber(frame.transferMru),
    };
    this.state = 'up';
    clearTimeout(this.handshakeTimer);
    this.liveness.start(this.params.keepaliveSec);
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
    this.closeTimer ??= setTimeout(() => this.conn.kill(), this.opts.closeTimeoutMs);
    this.maybeFinishClose();
  }

  private maybeFinishClose(): void {
    if (this.state !== 'ending' || !this.sentTerm || !this.receivedTerm) return;
    if (this.tx.busy || this.rx.busy) return;
    this.conn.end();
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
    this.conn.end();
    this.closeTimer ??= setTimeout(() => this.conn.kill(), this.opts.closeTimeoutMs);
  }

  private finish(): void {
    if (this.state === 'down') return;
    const wasUp = this.state === 'up' || this.state === 'ending';
    this.state = 'down';
    for (const t of [this.handshakeTimer, this.closeTimer]) clearTimeout(t);
    this.liveness.stop();
    const info: DownInfo = { cause: this.endCause ?? 'socket-closed', termReason: this.termReason, error: this.lastError };
    this.endCause = info.cause;
    this.rx.abort();
    this.tx.failAll(this.endedError());
    if (!wasUp) this.settleReady.reject(this.endedError());
    this.emit('down', info);
  }

  private onSocketError(err: Error): void {
    this.endCause ??= this.contact.upgrading ? 'tls-failure' : 'socket-error';
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

  // --- output ------------------------------------------------------------------

  private write(bytes: Uint8Array): boolean {
    if (!this.conn.writable) return false;
    this.bytesSent += bytes.length;
    this.liveness.lastSentAt = Date.now();
    const ok = this.conn.write(bytes);
    // Acks and refusals are written without waiting: a peer that sends but never reads would
    // make them pile up here for ever.
    if (!this.endCause && this.conn.unsent > this.opts.maxUnsentBytes) {
      // It would never read a SESS_TERM either: announce the reason, then drop the connection.
      this.abort('peer-not-reading', SessTermReason.ResourceExhaustion);
      this.conn.kill();
    }
    return ok;
  }

  private sendMessage(msg: TcpclMessage): boolean {
    return this.write(encodeFrame(msg));
  }

  private reject(reason: number, rejectedHeader: number): void {
    this.sendMessage({ type: 'MSG_REJECT', reason, rejectedHeader });
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
      drain: () => this.conn.drain(),
      writable: () => this.conn.writable,
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
