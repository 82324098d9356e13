// TCPCLv4 (RFC 9174) convergence layer for relay <-> relay bundle exchange.
export * from './constants.ts';
export * from './errors.ts';
export type * from './messages.ts';
export { encodeContactHeader, encodeFrame } from './encode.ts';
export { TcpclStreamDecoder, decodeAll, type DecodeLimits } from './decoder.ts';
export {
  encodeExtensionItems,
  parseExtensionItems,
  readTransferLength,
  transferLengthItem,
  unknownCriticalItem,
  type TransferLength,
} from './extensions.ts';
export { isValidNodeId } from './node-id.ts';
export {
  TcpclSession,
  validateSessionOptions,
  type BundleInfo,
  type DownInfo,
  type ProgressInfo,
  type RefusedInfo,
  type FlowInfo,
  type SessionParams,
  type TcpclSessionOptions,
  type TcpclTlsOptions,
} from './session.ts';
export { makeNodeCertificate } from './certificate.ts';
export { nodeIdsIn, type TlsPeer } from './tls-upgrade.ts';
export { TcpclListener, connectTcpcl, listenTcpcl, type ConnectOptions, type ListenOptions } from './endpoints.ts';
