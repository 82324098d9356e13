// Message encoder: a pure function from message objects to wire bytes.

import { ByteWriter } from './bytes.ts';
import { MAGIC, MessageType, SegmentFlags, TCPCL_VERSION } from './constants.ts';
import { encodeExtensionItems } from './extensions.ts';
import type { ContactHeader, TcpclFrame } from './messages.ts';

const utf8 = new TextEncoder();

export function encodeContactHeader(flags = 0, version = TCPCL_VERSION): Uint8Array {
  return new ByteWriter(6).bytes(MAGIC).u8(version).u8(flags).finish();
}

/** Encodes one frame. Throws RangeError/TypeError for values that cannot be represented. */
export function encodeFrame(frame: TcpclFrame): Uint8Array {
  const w = new ByteWriter();
  switch (frame.type) {
    case 'CONTACT':
      return encodeContact(frame);
    case 'SESS_INIT': {
      const nodeId = utf8.encode(frame.nodeId);
      const ext = encodeExtensionItems(frame.extensions);
      w.u8(MessageType.SESS_INIT).u16(frame.keepaliveSec).u64(frame.segmentMru).u64(frame.transferMru);
      return w.u16(nodeId.length).bytes(nodeId).u32(ext.length).bytes(ext).finish();
    }
    case 'XFER_SEGMENT': {
      const start = (frame.flags & SegmentFlags.START) !== 0;
      if (!start && frame.extensions.length > 0) {
        throw new TypeError('transfer extensions are only carried by the START segment');
      }
      w.u8(MessageType.XFER_SEGMENT).u8(frame.flags).u64(frame.transferId);
      if (start) {
        const ext = encodeExtensionItems(frame.extensions);
        w.u32(ext.length).bytes(ext);
      }
      return w.u64(frame.data.length).bytes(frame.data).finish();
    }
    case 'XFER_ACK':
      return w.u8(MessageType.XFER_ACK).u8(frame.flags).u64(frame.transferId).u64(frame.ackedLength).finish();
    case 'XFER_REFUSE':
      return w.u8(MessageType.XFER_REFUSE).u8(frame.reason).u64(frame.transferId).finish();
    case 'KEEPALIVE':
      return w.u8(MessageType.KEEPALIVE).finish();
    case 'SESS_TERM':
      return w.u8(MessageType.SESS_TERM).u8(frame.flags).u8(frame.reason).finish();
    case 'MSG_REJECT':
      return w.u8(MessageType.MSG_REJECT).u8(frame.reason).u8(frame.rejectedHeader).finish();
  }
}

function encodeContact(h: ContactHeader): Uint8Array {
  return encodeContactHeader(h.flags, h.version);
}
