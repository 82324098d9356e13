// Incremental TCPCLv4 decoder: feed it arbitrary chunks of the byte stream,
// pull whole frames out. Length fields are checked against the limits as soon
// as they are readable, before anything of that size is buffered or allocated.

import { ByteReader } from './bytes.ts';
import { ChunkQueue } from './chunk-queue.ts';
import { CONTACT_HEADER_LENGTH, Defaults, MAGIC, MessageType, SegmentFlags } from './constants.ts';
import { TcpclDecodeError } from './errors.ts';
import { parseExtensionItems } from './extensions.ts';
import type { ExtensionItem, TcpclFrame, XferSegment } from './messages.ts';

export interface DecodeLimits {
  /** Largest XFER_SEGMENT data we accept: our own Segment MRU. */
  maxSegmentData: number;
  /** Largest session/transfer extension item list we buffer. */
  maxExtensionBytes: number;
}

const SESS_INIT_FIXED = 1 + 2 + 8 + 8 + 2;
const SEGMENT_FIXED = 1 + 1 + 8;
const FIXED_SIZES: Record<number, number> = {
  [MessageType.XFER_ACK]: 18,
  [MessageType.XFER_REFUSE]: 10,
  [MessageType.KEEPALIVE]: 1,
  [MessageType.SESS_TERM]: 3,
  [MessageType.MSG_REJECT]: 3,
};

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

export class TcpclStreamDecoder {
  private readonly queue = new ChunkQueue();
  private readonly limits: DecodeLimits;
  private expectContact: boolean;
  private failure: TcpclDecodeError | undefined;

  constructor(limits: Partial<DecodeLimits> = {}, opts: { expectContactHeader?: boolean } = {}) {
    this.limits = {
      maxSegmentData: limits.maxSegmentData ?? Defaults.segmentMru,
      maxExtensionBytes: limits.maxExtensionBytes ?? Defaults.maxExtensionBytes,
    };
    this.expectContact = opts.expectContactHeader ?? true;
  }

  /** Bytes received but not yet decoded into a frame. */
  get buffered(): number {
    return this.queue.length;
  }

  push(chunk: Uint8Array): void {
    if (this.failure) throw this.failure;
    this.queue.push(chunk);
  }

  /**
   * Next complete frame, or null when more bytes are needed. Throws
   * TcpclDecodeError; after a fatal one the decoder stays failed.
   */
  next(): TcpclFrame | null {
    if (this.failure) throw this.failure;
    try {
      return this.expectContact ? this.nextContact() : this.nextMessage();
    } catch (err) {
      if (err instanceof TcpclDecodeError) {
        if (err.fatal) this.failure = err;
        throw err;
      }
      // Any other exception is a decoder bug; never let it escape as a crash.
      this.failure = new TcpclDecodeError('decoder-failed', String(err), true);
      throw this.failure;
    }
  }

  private nextContact(): TcpclFrame | null {
    const have = Math.min(this.queue.length, MAGIC.length);
    for (let i = 0; i < have; i++) {
      if (this.queue.at(i) !== MAGIC[i]) throw new TcpclDecodeError('bad-magic', 'contact header magic is not "dtn!"', true);
    }
    if (this.queue.length < CONTACT_HEADER_LENGTH) return null;
    const r = new ByteReader(this.queue.take(CONTACT_HEADER_LENGTH));
    r.bytes(4);
    this.expectContact = false;
    return { type: 'CONTACT', version: r.u8(), flags: r.u8() };
  }

  private nextMessage(): TcpclFrame | null {
    if (this.queue.length === 0) return null;
    const type = this.queue.at(0);
    const total = this.frameLength(type);
    if (total === null || this.queue.length < total) return null;
    return this.parse(type, new ByteReader(this.queue.take(total)));
  }

  /** Total frame length once enough of its header is buffered, else null. */
  private frameLength(type: number): number | null {
    const fixed = FIXED_SIZES[type];
    if (fixed !== undefined) return fixed;
    if (type === MessageType.SESS_INIT) return this.sessInitLength();
    if (type === MessageType.XFER_SEGMENT) return this.segmentLength();
    throw new TcpclDecodeError('unknown-message-type', `unknown message type 0x${type.toString(16)}`, true, {
      messageType: type,
    });
  }

  private sessInitLength(): number | null {
    if (this.queue.length < SESS_INIT_FIXED) return null;
    const nodeIdLen = this.u16At(SESS_INIT_FIXED - 2);
    const extAt = SESS_INIT_FIXED + nodeIdLen;
    if (this.queue.length < extAt + 4) return null;
    const extLen = this.u32At(extAt);
    this.checkExtensionLength(extLen, MessageType.SESS_INIT);
    return extAt + 4 + extLen;
  }

  private segmentLength(): number | null {
    if (this.queue.length < SEGMENT_FIXED) return null;
    const flags = this.queue.at(1);
    let at = SEGMENT_FIXED;
    if (flags & SegmentFlags.START) {
      if (this.queue.length < at + 4) return null;
      const extLen = this.u32At(at);
      this.checkExtensionLength(extLen, MessageType.XFER_SEGMENT);
      at += 4 + extLen;
    }
    if (this.queue.length < at + 8) return null;
    const dataLen = this.u64At(at);
    if (dataLen > BigInt(this.limits.maxSegmentData)) {
      throw new TcpclDecodeError(
        'segment-too-large',
        `segment of ${dataLen} bytes exceeds segment MRU ${this.limits.maxSegmentData}`,
        true,
        { messageType: MessageType.XFER_SEGMENT },
      );
    }
    return at + 8 + Number(dataLen);
  }

  private checkExtensionLength(len: number, messageType: number): void {
    if (len > this.limits.maxExtensionBytes) {
      throw new TcpclDecodeError(
        'extensions-too-large',
        `extension items of ${len} bytes exceed limit ${this.limits.maxExtensionBytes}`,
        true,
        { messageType },
      );
    }
  }

  private u16At(at: number): number {
    return this.readerAt(at, 2).u16();
  }

  private u32At(at: number): number {
    return this.readerAt(at, 4).u32();
  }

  private u64At(at: number): bigint {
    return this.readerAt(at, 8).u64();
  }

  private readerAt(at: number, n: number): ByteReader {
    return new ByteReader(this.queue.peek(at + n).subarray(at));
  }

  private parse(type: number, r: ByteReader): TcpclFrame {
    r.u8();
    switch (type) {
      case MessageType.SESS_INIT:
        return parseSessInit(r);
      case MessageType.XFER_SEGMENT:
        return parseSegment(r);
      case MessageType.XFER_ACK:
        return { type: 'XFER_ACK', flags: r.u8(), transferId: r.u64(), ackedLength: r.u64() };
      case MessageType.XFER_REFUSE:
        return { type: 'XFER_REFUSE', reason: r.u8(), transferId: r.u64() };
      case MessageType.KEEPALIVE:
        return { type: 'KEEPALIVE' };
      case MessageType.SESS_TERM:
        return { type: 'SESS_TERM', flags: r.u8(), reason: r.u8() };
      default:
        return { type: 'MSG_REJECT', reason: r.u8(), rejectedHeader: r.u8() };
    }
  }
}

function parseSessInit(r: ByteReader): TcpclFrame {
  const keepaliveSec = r.u16();
  const segmentMru = r.u64();
  const transferMru = r.u64();
  const nodeIdBytes = r.bytes(r.u16());
  const extensions = parseItemsOrThrow(r.bytes(r.u32()), MessageType.SESS_INIT);
  let nodeId: string;
  try {
    nodeId = strictUtf8.decode(nodeIdBytes);
  } catch {
    throw new TcpclDecodeError('bad-node-id', 'SESS_INIT node ID is not valid UTF-8', false, {
      messageType: MessageType.SESS_INIT,
    });
  }
  return { type: 'SESS_INIT', keepaliveSec, segmentMru, transferMru, nodeId, extensions };
}

function parseSegment(r: ByteReader): XferSegment {
  const flags = r.u8();
  const transferId = r.u64();
  let extensions: ExtensionItem[] = [];
  if (flags & SegmentFlags.START) {
    extensions = parseItemsOrThrow(r.bytes(r.u32()), MessageType.XFER_SEGMENT, transferId);
  }
  const data = r.bytes(Number(r.u64()));
  return { type: 'XFER_SEGMENT', flags, transferId, extensions, data };
}

function parseItemsOrThrow(bytes: Uint8Array, messageType: number, transferId?: bigint): ExtensionItem[] {
  const items = parseExtensionItems(bytes);
  if (items) return items;
  // The list length was honoured, so framing is intact: not fatal.
  throw new TcpclDecodeError('malformed-extensions', 'extension items disagree with their length', false, {
    messageType,
    transferId,
  });
}

/** Decodes a complete byte string (tests, tools). */
export function decodeAll(
  bytes: Uint8Array,
  limits: Partial<DecodeLimits> = {},
  opts: { expectContactHeader?: boolean } = {},
): TcpclFrame[] {
  const d = new TcpclStreamDecoder(limits, opts);
  d.push(bytes);
  const out: TcpclFrame[] = [];
  for (let f = d.next(); f; f = d.next()) out.push(f);
  if (d.buffered > 0) throw new TcpclDecodeError('decoder-failed', `${d.buffered} trailing bytes`, true);
  return out;
}
