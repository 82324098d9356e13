// Decoded TCPCLv4 messages. u64 fields are bigint so that any value a peer
// can put on the wire round-trips exactly; sessions convert them when needed.

export interface ExtensionItem {
  flags: number;
  itemType: number;
  value: Uint8Array;
}

export interface ContactHeader {
  type: 'CONTACT';
  version: number;
  flags: number;
}

export interface SessInit {
  type: 'SESS_INIT';
  keepaliveSec: number;
  segmentMru: bigint;
  transferMru: bigint;
  nodeId: string;
  extensions: ExtensionItem[];
}

export interface XferSegment {
  type: 'XFER_SEGMENT';
  flags: number;
  transferId: bigint;
  /** Present on the wire only when the START flag is set. */
  extensions: ExtensionItem[];
  data: Uint8Array;
}

export interface XferAck {
  type: 'XFER_ACK';
  flags: number;
  transferId: bigint;
  ackedLength: bigint;
}

export interface XferRefuse {
  type: 'XFER_REFUSE';
  reason: number;
  transferId: bigint;
}

export interface Keepalive {
  type: 'KEEPALIVE';
}

export interface SessTerm {
  type: 'SESS_TERM';
  flags: number;
  reason: number;
}

export interface MsgReject {
  type: 'MSG_REJECT';
  reason: number;
  rejectedHeader: number;
}

export type TcpclMessage = SessInit | XferSegment | XferAck | XferRefuse | Keepalive | SessTerm | MsgReject;
export type TcpclFrame = ContactHeader | TcpclMessage;
