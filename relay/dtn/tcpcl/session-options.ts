// What a TcpclSession is configured with and what it reports: options, their defaults, event payloads.

import type { SecureContext } from 'node:tls';
import { Defaults } from './constants.ts';
import { TcpclError, type DownCause } from './errors.ts';
import { isValidNodeId } from './node-id.ts';

export interface BundleInfo {
  transferId: bigint;
  peerNodeId: string;
}

/**
 * Our TLS material (RFC 9174 §4.4): with it we set CAN_TLS in the contact header, and when the peer
 * sets it too the session runs over TLS 1.3. The certificate's subject alt name carries our Node ID.
 */
export interface TcpclTlsOptions {
  cert: string | Buffer;
  key: string | Buffer;
  /** Built once from cert and key (see tls-upgrade.ts); left unset by callers. */
  context?: SecureContext;
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
  /** TLS material; without it the session is plain TCPCL whatever the peer offers. */
  tls?: TcpclTlsOptions;
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

export type ResolvedOptions = Required<Omit<TcpclSessionOptions, 'tls'>> & Pick<TcpclSessionOptions, 'tls'>;

/** Checks options and fills defaults; throws TcpclError('bad-option'). */
export function validateSessionOptions(o: TcpclSessionOptions): ResolvedOptions {
  if (!isValidNodeId(o.nodeId)) throw new TcpclError('bad-option', `nodeId must be a URI: ${o.nodeId}`);
  if (typeof o.onBundle !== 'function') throw new TcpclError('bad-option', 'onBundle is required');
  if (o.tls !== undefined && (!o.tls.cert || !o.tls.key)) throw new TcpclError('bad-option', 'tls needs cert and key');
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
    tls: o.tls,
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
