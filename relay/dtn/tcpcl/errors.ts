import { reasonName, SessTermReason, XferRefuseReason } from './constants.ts';

/** Base class: every failure this module reports is a TcpclError with a stable code. */
export class TcpclError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/**
 * The byte stream could not be decoded. `fatal` means framing is lost (the
 * stream cannot be resumed); otherwise the offending message was consumed whole
 * and decoding can continue with the next one.
 */
export class TcpclDecodeError extends TcpclError {
  constructor(
    code: DecodeErrorCode,
    message: string,
    readonly fatal: boolean,
    readonly context: { messageType?: number; transferId?: bigint } = {},
  ) {
    super(code, message);
  }
}

export type DecodeErrorCode =
  | 'bad-magic'
  | 'unknown-message-type'
  | 'segment-too-large'
  | 'extensions-too-large'
  | 'malformed-extensions'
  | 'bad-node-id'
  | 'decoder-failed';

/** The peer refused our transfer with XFER_REFUSE. */
export class TcpclTransferRefusedError extends TcpclError {
  constructor(
    readonly reason: number,
    readonly transferId: bigint,
  ) {
    super('transfer-refused', `transfer ${transferId} refused: ${reasonName(XferRefuseReason, reason)}`);
  }
}

/** The bundle exceeds the peer's Transfer MRU, so the transfer was never started. */
export class TcpclTransferTooLargeError extends TcpclError {
  constructor(
    readonly size: number,
    readonly peerTransferMru: number,
  ) {
    super('transfer-too-large', `bundle of ${size} bytes exceeds peer transfer MRU ${peerTransferMru}`);
  }
}

/** The session ended (or never came up) before the operation completed. */
export class TcpclSessionEndedError extends TcpclError {
  constructor(
    readonly downCause: DownCause,
    readonly termReason?: number,
  ) {
    super(
      'session-ended',
      `session ended: ${downCause}${termReason === undefined ? '' : ` (${reasonName(SessTermReason, termReason)})`}`,
    );
  }
}

/** Why a session went down; carried by the 'down' event and TcpclSessionEndedError. */
export type DownCause =
  | 'local-close' // we sent SESS_TERM
  | 'peer-close' // the peer sent SESS_TERM
  | 'idle-timeout'
  | 'handshake-timeout'
  | 'bad-contact-header'
  | 'version-mismatch'
  | 'contact-failure' // SESS_INIT unacceptable (either side)
  | 'tls-failure' // TLS handshake failed, or the peer's certificate names no Node ID
  | 'protocol-error'
  | 'socket-closed' // TCP ended without a SESS_TERM exchange
  | 'socket-error'
  | 'peer-not-reading' // our unread output passed maxUnsentBytes
  | 'destroyed';
