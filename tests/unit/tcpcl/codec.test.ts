import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeAll,
  encodeContactHeader,
  encodeFrame,
  MessageType,
  readTransferLength,
  SegmentFlags,
  TcpclDecodeError,
  TcpclStreamDecoder,
  transferLengthItem,
  type TcpclFrame,
} from '../../../relay/dtn/tcpcl/index.ts';
import { concat } from '../../helpers/bytes.ts';
import { chunked, MAX_TEST_SEGMENT, message } from './arbitraries.ts';

const limits = { maxSegmentData: MAX_TEST_SEGMENT, maxExtensionBytes: 64 * 1024 };
const hex = (s: string): Uint8Array => new Uint8Array(s.match(/../g)!.map((b) => parseInt(b, 16)));

function decodeChunks(chunks: Uint8Array[]): TcpclFrame[] {
  const d = new TcpclStreamDecoder(limits);
  const out: TcpclFrame[] = [];
  for (const c of chunks) {
    d.push(c);
    for (let f = d.next(); f; f = d.next()) out.push(f);
  }
  expect(d.buffered).toBe(0);
  return out;
}

function decodeError(bytes: Uint8Array, opts: { expectContactHeader?: boolean } = { expectContactHeader: false }): TcpclDecodeError {
  try {
    decodeAll(bytes, limits, opts);
  } catch (err) {
    expect(err).toBeInstanceOf(TcpclDecodeError);
    return err as TcpclDecodeError;
  }
  throw new Error('expected a decode error');
}

describe('TCPCLv4 message codec', () => {
  it('Scenario: contact header is "dtn!", version 4, flags without CAN_TLS', () => {
    expect(encodeContactHeader()).toEqual(hex('64746e210400'));
    expect(decodeAll(hex('64746e210401'))).toEqual([{ type: 'CONTACT', version: 4, flags: 1 }]);
  });

  it('Scenario: messages use the RFC 9174 wire layout', () => {
    const init = encodeFrame({ type: 'SESS_INIT', keepaliveSec: 15, segmentMru: 65536n, transferMru: 16n << 20n, nodeId: 'dtn://a/', extensions: [] });
    expect(init).toEqual(hex('07' + '000f' + '0000000000010000' + '0000000001000000' + '0008' + '64746e3a2f2f612f' + '00000000'));
    const seg = encodeFrame({ type: 'XFER_SEGMENT', flags: 3, transferId: 7n, extensions: [transferLengthItem(2)], data: hex('abcd') });
    expect(seg).toEqual(hex('01' + '03' + '0000000000000007' + '0000000d' + '00' + '0001' + '0008' + '0000000000000002' + '0000000000000002' + 'abcd'));
    expect(encodeFrame({ type: 'XFER_ACK', flags: 1, transferId: 7n, ackedLength: 2n })).toEqual(hex('0201' + '0000000000000007' + '0000000000000002'));
    expect(encodeFrame({ type: 'XFER_REFUSE', reason: 2, transferId: 7n })).toEqual(hex('0302' + '0000000000000007'));
    expect(encodeFrame({ type: 'KEEPALIVE' })).toEqual(hex('04'));
    expect(encodeFrame({ type: 'SESS_TERM', flags: 1, reason: 4 })).toEqual(hex('050104'));
    expect(encodeFrame({ type: 'MSG_REJECT', reason: 1, rejectedHeader: 0x2a })).toEqual(hex('06012a'));
    expect(MessageType.SESS_INIT).toBe(7);
  });

  it('Scenario: every message round-trips through encode and decode (property)', () => {
    fc.assert(
      fc.property(message, (m) => {
        expect(decodeAll(encodeFrame(m), limits, { expectContactHeader: false })).toEqual([m]);
      }),
      { numRuns: 500 },
    );
  });

  it('Scenario: arbitrary chunking of the byte stream yields the same frames (property)', () => {
    fc.assert(
      fc.property(fc.array(message, { maxLength: 8 }), fc.array(fc.nat(), { maxLength: 30 }), (msgs, cuts) => {
        const stream = concat(encodeContactHeader(), ...msgs.map(encodeFrame));
        const frames = decodeChunks(chunked(stream, cuts));
        expect(frames).toEqual([{ type: 'CONTACT', version: 4, flags: 0 }, ...msgs]);
      }),
      { numRuns: 300 },
    );
  });

  it('Scenario: one byte at a time decodes like one chunk', () => {
    const msgs = [
      encodeFrame({ type: 'SESS_INIT', keepaliveSec: 0, segmentMru: 1n, transferMru: 0n, nodeId: 'dtn://x/', extensions: [{ flags: 1, itemType: 9, value: hex('00ff') }] }),
      encodeFrame({ type: 'XFER_SEGMENT', flags: SegmentFlags.START, transferId: 0n, extensions: [], data: new Uint8Array(100).fill(5) }),
    ];
    const stream = concat(encodeContactHeader(), ...msgs);
    const bytes = [...stream].map((b) => new Uint8Array([b]));
    expect(decodeChunks(bytes)).toEqual(decodeAll(stream, limits));
  });

  it('Scenario: Node Buffer chunks from a shared pool decode like plain arrays', () => {
    const msgs = [encodeContactHeader(), encodeFrame({ type: 'SESS_INIT', keepaliveSec: 3, segmentMru: 9n, transferMru: 10n, nodeId: 'dtn://p/', extensions: [] })];
    const stream = concat(...msgs);
    // Carve each chunk out of a bigger Buffer so byteOffset != 0 and slice() does not copy.
    const pool = Buffer.alloc(stream.length + 100, 0xee);
    pool.set(stream, 50);
    const chunks = [pool.subarray(50, 53), pool.subarray(53, 70), pool.subarray(70, 50 + stream.length)];
    expect(decodeChunks(chunks)).toEqual(decodeAll(stream, limits));
  });

  it('Scenario: random bytes give frames or a typed error, never a crash (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.boolean(), (bytes, contact) => {
        const d = new TcpclStreamDecoder(limits, { expectContactHeader: contact });
        d.push(bytes);
        try {
          for (let i = 0; i < 400 && d.next(); i++);
        } catch (err) {
          expect(err).toBeInstanceOf(TcpclDecodeError);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('Scenario: wrong magic is a fatal typed error as soon as the first wrong byte arrives', () => {
    const d = new TcpclStreamDecoder(limits);
    d.push(new TextEncoder().encode('G'));
    expect(() => d.next()).toThrow(expect.objectContaining({ code: 'bad-magic', fatal: true }));
    expect(() => d.push(new Uint8Array([1]))).toThrow(TcpclDecodeError);
  });

  it('Scenario: a segment length above the MRU is refused before its data is buffered', () => {
    const d = new TcpclStreamDecoder({ maxSegmentData: 1024 }, { expectContactHeader: false });
    // Header claims 2^40 bytes; only the 18-byte header is ever pushed.
    d.push(hex('01' + '01' + '0000000000000001' + '0000010000000000'));
    expect(() => d.next()).toThrow(expect.objectContaining({ code: 'segment-too-large', fatal: true }));
    expect(d.buffered).toBe(18);
  });

  it('Scenario: an oversized extension list is refused before it is buffered', () => {
    const d = new TcpclStreamDecoder({ maxExtensionBytes: 100 }, { expectContactHeader: false });
    d.push(hex('01' + '02' + '0000000000000001' + 'ffffffff'));
    expect(() => d.next()).toThrow(expect.objectContaining({ code: 'extensions-too-large', fatal: true }));
    const init = new TcpclStreamDecoder({ maxExtensionBytes: 100 }, { expectContactHeader: false });
    init.push(hex('07' + '0000' + '00'.repeat(16) + '0000' + '00010000'));
    expect(() => init.next()).toThrow(expect.objectContaining({ code: 'extensions-too-large' }));
  });

  it('Scenario: unknown message type is a fatal typed error naming the type', () => {
    const err = decodeError(hex('2a'));
    expect(err).toMatchObject({ code: 'unknown-message-type', fatal: true, context: { messageType: 0x2a } });
  });

  it('Scenario: malformed extension items are a recoverable error and decoding continues', () => {
    // START segment whose 3-byte extension list is shorter than one item header.
    const bad = hex('01' + '03' + '0000000000000009' + '00000003' + '000001' + '0000000000000000');
    const d = new TcpclStreamDecoder(limits, { expectContactHeader: false });
    d.push(concat(bad, encodeFrame({ type: 'KEEPALIVE' })));
    expect(() => d.next()).toThrow(expect.objectContaining({ code: 'malformed-extensions', fatal: false, context: expect.objectContaining({ transferId: 9n }) }));
    expect(d.next()).toEqual({ type: 'KEEPALIVE' });
  });

  it('Scenario: a node ID that is not UTF-8 is a recoverable typed error', () => {
    const init = hex('07' + '0000' + '00'.repeat(16) + '0002' + 'c328' + '00000000');
    expect(decodeError(init)).toMatchObject({ code: 'bad-node-id', fatal: false });
  });

  it('Scenario: Transfer Length extension is read once, duplicates are invalid', () => {
    expect(readTransferLength([transferLengthItem(123)])).toEqual({ kind: 'present', total: 123n });
    expect(readTransferLength([])).toEqual({ kind: 'absent' });
    expect(readTransferLength([transferLengthItem(1), transferLengthItem(1)])).toEqual({ kind: 'invalid' });
    expect(readTransferLength([{ flags: 0, itemType: 1, value: hex('00') }])).toEqual({ kind: 'invalid' });
  });

  it('Scenario: the encoder refuses extensions on a non-START segment', () => {
    expect(() => encodeFrame({ type: 'XFER_SEGMENT', flags: SegmentFlags.END, transferId: 0n, extensions: [transferLengthItem(1)], data: new Uint8Array() })).toThrow(TypeError);
  });
});
