// Wire constants of TCPCLv4 (RFC 9174). Values are the IANA registry codes.

export const MAGIC = new Uint8Array([0x64, 0x74, 0x6e, 0x21]); // "dtn!"
export const TCPCL_VERSION = 4;
export const CONTACT_HEADER_LENGTH = 6;

export const ContactFlags = { CAN_TLS: 0x01 } as const;

export const MessageType = {
  XFER_SEGMENT: 0x01,
  XFER_ACK: 0x02,
  XFER_REFUSE: 0x03,
  KEEPALIVE: 0x04,
  SESS_TERM: 0x05,
  MSG_REJECT: 0x06,
  SESS_INIT: 0x07,
} as const;
export type MessageTypeCode = (typeof MessageType)[keyof typeof MessageType];

export const SegmentFlags = { END: 0x01, START: 0x02 } as const;
export const SessTermFlags = { REPLY: 0x01 } as const;
export const ExtensionFlags = { CRITICAL: 0x01 } as const;

/** Transfer extension item types. */
export const TransferExtensionType = { TRANSFER_LENGTH: 0x0001 } as const;

export const XferRefuseReason = {
  Unknown: 0x00,
  Completed: 0x01,
  NoResources: 0x02,
  Retransmit: 0x03,
  NotAcceptable: 0x04,
  ExtensionFailure: 0x05,
  SessionTerminating: 0x06,
} as const;
export type XferRefuseReasonCode = (typeof XferRefuseReason)[keyof typeof XferRefuseReason];

export const SessTermReason = {
  Unknown: 0x00,
  IdleTimeout: 0x01,
  VersionMismatch: 0x02,
  Busy: 0x03,
  ContactFailure: 0x04,
  ResourceExhaustion: 0x05,
} as const;
export type SessTermReasonCode = (typeof SessTermReason)[keyof typeof SessTermReason];

export const MsgRejectReason = {
  TypeUnknown: 0x01,
  Unsupported: 0x02,
  Unexpected: 0x03,
} as const;
export type MsgRejectReasonCode = (typeof MsgRejectReason)[keyof typeof MsgRejectReason];

export const U64_MAX = (1n << 64n) - 1n;

/** Session defaults (the relay's choices, not RFC values). */
export const Defaults = {
  keepaliveSec: 15,
  segmentMru: 64 * 1024,
  transferMru: 16 * 1024 * 1024,
  /** Largest extension-item list (session or transfer) we buffer. */
  maxExtensionBytes: 64 * 1024,
  /** RFC 9174 §4.1 suggests at most 60 s for the contact header. */
  handshakeTimeoutMs: 10_000,
  closeTimeoutMs: 5_000,
  /** Received bundles handed over and not yet stored, before we stop reading the socket. */
  maxReceiving: 256,
  maxReceivingBytes: 32 * 1024 * 1024,
  /** Bytes we wrote that the peer has not read yet, before we end the session. Our own
   * transfers wait for the socket to drain, so only a peer that stops reading gets near it. */
  maxUnsentBytes: 32 * 1024 * 1024,
} as const;

/** Reverse lookup for logs and error messages. */
export function reasonName(table: Record<string, number>, code: number): string {
  for (const [name, value] of Object.entries(table)) if (value === code) return name;
  return `0x${code.toString(16).padStart(2, '0')}`;
}
