import fc from 'fast-check';
import { SegmentFlags, U64_MAX } from '../../../relay/dtn/tcpcl/index.ts';
import type { ExtensionItem, TcpclMessage } from '../../../relay/dtn/tcpcl/index.ts';

const u8 = fc.integer({ min: 0, max: 0xff });
const u16 = fc.integer({ min: 0, max: 0xffff });
const u64 = fc.bigInt({ min: 0n, max: U64_MAX });

export const extensionItem: fc.Arbitrary<ExtensionItem> = fc.record({
  flags: u8,
  itemType: u16,
  value: fc.uint8Array({ maxLength: 40 }),
});

export const MAX_TEST_SEGMENT = 2048;

const segment = fc
  .record({ flags: u8, transferId: u64, extensions: fc.array(extensionItem, { maxLength: 4 }), data: fc.uint8Array({ maxLength: MAX_TEST_SEGMENT }) })
  .map(({ flags, transferId, extensions, data }) => ({
    type: 'XFER_SEGMENT' as const,
    flags,
    transferId,
    extensions: flags & SegmentFlags.START ? extensions : [],
    data,
  }));

export const message: fc.Arbitrary<TcpclMessage> = fc.oneof(
  fc.record({
    type: fc.constant('SESS_INIT' as const),
    keepaliveSec: u16,
    segmentMru: u64,
    transferMru: u64,
    nodeId: fc.string({ unit: 'grapheme', maxLength: 30 }),
    extensions: fc.array(extensionItem, { maxLength: 4 }),
  }),
  segment,
  fc.record({ type: fc.constant('XFER_ACK' as const), flags: u8, transferId: u64, ackedLength: u64 }),
  fc.record({ type: fc.constant('XFER_REFUSE' as const), reason: u8, transferId: u64 }),
  fc.constant({ type: 'KEEPALIVE' as const }),
  fc.record({ type: fc.constant('SESS_TERM' as const), flags: u8, reason: u8 }),
  fc.record({ type: fc.constant('MSG_REJECT' as const), reason: u8, rejectedHeader: u8 }),
);

/** Splits bytes at arbitrary cut points. */
export function chunked(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let prev = 0;
  for (const p of [...points, bytes.length]) {
    out.push(bytes.subarray(prev, p));
    prev = p;
  }
  return out;
}

