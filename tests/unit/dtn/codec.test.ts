import { decode, decodeSequence, encode as encodeCbor } from 'cbor2';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  Audience,
  BlockFlags,
  Priority,
  audienceOf,
  crc16X25,
  crc32c,
  decodeBundle,
  decodeBundleOrThrow,
  encodeBundle,
  priorityOf,
  type Bundle,
  type DecodeResult,
  MESH_METADATA_MARKER,
} from '../../../src/core/dtn/index.ts';
import { bundleArb } from './arbitraries.ts';
import { block, concat, CREATED, frame, hex, minimal, payloadItems, primaryItems, toHex } from './craft.ts';

function mustDecode(bytes: Uint8Array): Extract<DecodeResult, { ok: true }> {
  const r = decodeBundle(bytes);
  if (!r.ok) throw r.error;
  return r;
}

function errorCode(bytes: Uint8Array): string | undefined {
  const r = decodeBundle(bytes);
  return r.ok ? undefined : r.error.code;
}

/** Writes a block's CRC (big-endian, over the block with the value zeroed) into the bytes in place. */
function fillCrc(bytes: Uint8Array, start: number, end: number, type: 1 | 2): void {
  const n = type === 1 ? 2 : 4;
  bytes.fill(0, end - n, end);
  const crc = type === 1 ? crc16X25(bytes.subarray(start, end)) : crc32c(bytes.subarray(start, end));
  for (let i = 0; i < n; i++) bytes[end - n + i] = (crc >>> (8 * (n - 1 - i))) & 0xff;
}

describe('dtn codec: round trips', () => {
  it('Scenario: primary block fields round-trip — any valid bundle encodes, decodes equal and re-encodes identically', () => {
    fc.assert(
      fc.property(bundleArb, (b) => {
        const bytes = encodeBundle(b);
        const r = mustDecode(bytes);
        expect(r.bundle).toEqual(b);
        expect(r.discarded).toEqual([]);
        expect(encodeBundle(r.bundle)).toEqual(bytes);
      }),
      { numRuns: 400 },
    );
  });

  it('Scenario: extension blocks round-trip — every block keeps number, flags, CRC type and content', () => {
    fc.assert(
      fc.property(bundleArb, (b) => {
        const back = mustDecode(encodeBundle(b)).bundle;
        expect(back.extensions.map((e) => [e.kind, e.number, e.flags, e.crcType])).toEqual(
          b.extensions.map((e) => [e.kind, e.number, e.flags, e.crcType]),
        );
      }),
      { numRuns: 200 },
    );
  });

  it('Scenario: bundle is an indefinite array of definite block arrays — checked with cbor2 as an independent reader', () => {
    fc.assert(
      fc.property(bundleArb, (b) => {
        const bytes = encodeBundle(b);
        expect(bytes[0]).toBe(0x9f);
        expect(bytes[bytes.length - 1]).toBe(0xff);
        // Between 0x9f and 0xff the blocks form a CBOR sequence; cbor2 refuses any indefinite
        // item (rejectStreaming) or non-shortest integer/length (requirePreferred) in it.
        const strict = { rejectStreaming: true, requirePreferred: true };
        const blocks = [...decodeSequence(bytes.subarray(1, bytes.length - 1), strict)] as unknown[][];
        expect(decode(bytes)).toEqual(blocks);
        expect(blocks.length).toBe(b.extensions.length + 2);
        expect(blocks[0][0]).toBe(7);
        expect(blocks[blocks.length - 1].slice(0, 2)).toEqual([1, 1]);
      }),
      { numRuns: 200 },
    );
  });

  it('Scenario: integers are in shortest form — boundary values use the smallest head', () => {
    const cases: [number, string][] = [
      [23, '17'], [24, '1818'], [255, '18ff'], [256, '190100'], [65535, '19ffff'], [65536, '1a00010000'],
      [2 ** 32 - 1, '1affffffff'], [2 ** 32, '1b0000000100000000'],
    ];
    for (const [lifetime, h] of cases) {
      const b = mustDecode(minimal()).bundle;
      const bytes = encodeBundle({ ...b, primary: { ...b.primary, lifetimeMs: lifetime } });
      expect(toHex(bytes)).toContain(`${toHex(Uint8Array.of(0x82))}1b000000b7b459d00001${h}`);
      expect(mustDecode(bytes).bundle.primary.lifetimeMs).toBe(lifetime);
    }
  });
});

describe('dtn codec: hand-built RFC 9171 bundle', () => {
  // Every byte written out; CRCs filled in by the RFC procedure. Not produced by the encoder.
  const parts = {
    primary: // [7, 0x20004, 1, ipn:5.1, dtn://a/sync, dtn:none, [789004800000, 3], 3600000, crc16]
      '89 07 1a00020004 01 8202820501 8201 68 2f2f612f73796e63 820100 821b000000b7b459d000 03 1a0036ee80 42 0000',
    age: '86 07 02 00 02 43 1905dc 44 00000000', // [7, 2, 0, crc32c, <<1500>>, crc]
    hops: '86 0a 03 00 01 44 82181e02 42 0000', // [10, 3, 0, crc16, <<[30, 2]>>, crc]
    previous: '85 06 04 00 00 4d 8201 6a 2f2f72656c61792d622f', // [6, 4, 0, 0, <<[1, "//relay-b/"]>>]
    mesh: '85 18c0 05 00 00 5819 83 70 736f6c617270756e6b2d6d6573682f31 65 6c6f63616c 00', // [192, 5, 0, 0, <<["solarpunk-mesh/1", local, 0]>>]
    unknown: '86 18c8 06 01 02 43 010203 44 00000000', // [200, 6, replicate, crc32c, h'010203', crc]
    payload: '86 01 01 00 02 45 68656c6c6f 44 00000000', // [1, 1, 0, crc32c, 'hello', crc]
  };
  const crcTypes: Partial<Record<keyof typeof parts, 1 | 2>> = { primary: 1, age: 2, hops: 1, unknown: 2, payload: 2 };

  function build(): Uint8Array {
    const blocks = Object.entries(parts).map(([name, h]) => {
      const bytes = hex(h);
      const t = crcTypes[name as keyof typeof parts];
      if (t) fillCrc(bytes, 0, bytes.length, t);
      return bytes;
    });
    return frame(...blocks);
  }

  it('Scenario: hand-built RFC bundle decodes field by field', () => {
    const { bundle, discarded } = mustDecode(build());
    expect(discarded).toEqual([]);
    expect(bundle.primary).toEqual({
      flags: 0x20004,
      crcType: 1,
      destination: 'ipn:5.1',
      source: 'dtn://a/sync',
      reportTo: 'dtn:none',
      creationTime: CREATED,
      sequence: 3,
      lifetimeMs: 3_600_000,
    });
    expect(bundle.extensions).toEqual([
      { kind: 'bundle-age', number: 2, flags: 0, crcType: 2, ageMs: 1500 },
      { kind: 'hop-count', number: 3, flags: 0, crcType: 1, limit: 30, count: 2 },
      { kind: 'previous-node', number: 4, flags: 0, crcType: 0, node: 'dtn://relay-b/' },
      { kind: 'mesh-metadata', number: 5, flags: 0, crcType: 0, priority: Priority.Emergency, audience: Audience.Local },
      { kind: 'unknown', type: 200, number: 6, flags: BlockFlags.ReplicateInFragments, crcType: 2, data: hex('010203') },
    ]);
    expect(bundle.payload).toEqual({ flags: 0, crcType: 2, data: new TextEncoder().encode('hello') });
    expect(priorityOf(bundle)).toBe(0);
    expect(audienceOf(bundle)).toBe('local');
  });

  it('Scenario: unknown block is kept and re-encoded as-is — the hand-built bundle re-encodes byte for byte', () => {
    const bytes = build();
    expect(toHex(encodeBundle(mustDecode(bytes).bundle))).toBe(toHex(bytes));
  });

  it('Scenario: corrupted block fails its CRC — every single-bit flip in a CRC-covered block is caught', () => {
    const bytes = build();
    const payloadStart = bytes.length - 1 - hex(parts.payload).length;
    for (let i = payloadStart; i < bytes.length - 1; i++) {
      for (let bit = 0; bit < 8; bit++) {
        const m = bytes.slice();
        m[i] ^= 1 << bit;
        const r = decodeBundle(m);
        expect(r.ok, `byte ${i} bit ${bit}`).toBe(false);
      }
    }
    const m = bytes.slice();
    m[bytes.length - 3] ^= 0x01; // inside the payload CRC value itself
    expect(errorCode(m)).toBe('bad-crc');
  });
});

describe('dtn codec: unknown blocks', () => {
  const unknown = (flags: number) => block([200, 2, flags, 0, hex('cafe')]);

  it('Scenario: unknown block is kept and re-encoded as-is', () => {
    const bytes = frame(block(primaryItems(), 2), unknown(0), block(payloadItems()));
    const r = mustDecode(bytes);
    expect(r.bundle.extensions).toEqual([{ kind: 'unknown', type: 200, number: 2, flags: 0, crcType: 0, data: hex('cafe') }]);
    expect(encodeBundle(r.bundle)).toEqual(bytes);
  });

  it('Scenario: unknown block with discard flag is dropped', () => {
    const flags = BlockFlags.DiscardIfUnprocessable | BlockFlags.ReportIfUnprocessable;
    const r = mustDecode(frame(block(primaryItems(), 2), unknown(flags), block(payloadItems())));
    expect(r.bundle.extensions).toEqual([]);
    expect(r.discarded).toEqual([{ type: 200, number: 2, statusReportRequested: true }]);
  });

  it('Scenario: unknown block with delete flag dooms the bundle', () => {
    for (const flags of [BlockFlags.DeleteBundleIfUnprocessable, BlockFlags.DeleteBundleIfUnprocessable | BlockFlags.DiscardIfUnprocessable]) {
      const r = decodeBundle(frame(block(primaryItems(), 2), unknown(flags), block(payloadItems())));
      expect(r.ok).toBe(false);
      if (r.ok) return;
      expect(r.error.code).toBe('delete-bundle');
      expect(r.error.detail).toEqual({ blockType: 200, blockNumber: 2, statusReportRequested: false });
      expect(r.error.message).toContain('200');
    }
  });

  it('Scenario: unknown block with delete flag dooms the bundle — known blocks with the flag are processed normally', () => {
    const age = block([7, 2, BlockFlags.DeleteBundleIfUnprocessable, 0, hex('05')]);
    const r = mustDecode(frame(block(primaryItems(), 2), age, block(payloadItems())));
    expect(r.bundle.extensions[0]).toMatchObject({ kind: 'bundle-age', ageMs: 5 });
  });
});

describe('dtn codec: extension blocks', () => {
  const withBlocks = (...blocks: Uint8Array[]) => frame(block(primaryItems(), 2), ...blocks, block(payloadItems()));

  it('Scenario: mesh metadata gives priority and audience — defaults without the block', () => {
    const b: Bundle = mustDecode(minimal()).bundle;
    expect(priorityOf(b)).toBe(Priority.Normal);
    expect(audienceOf(b)).toBe(Audience.Public);
  });

  it('Scenario: malformed extension data is refused', () => {
    const mesh = (m: unknown) => block([192, 2, 0, 0, encodeCbor(m)]);
    const marked = (...rest: unknown[]) => mesh([MESH_METADATA_MARKER, ...rest]);
    const cases: Record<string, Uint8Array> = {
      'hop count not an array': block([10, 2, 0, 0, encodeCbor(5)]),
      'hop count of 3 items': block([10, 2, 0, 0, encodeCbor([5, 1, 0])]),
      'hop limit 0': block([10, 2, 0, 0, encodeCbor([0, 0])]),
      'hop limit 256': block([10, 2, 0, 0, encodeCbor([256, 0])]),
      'age negative': block([7, 2, 0, 0, encodeCbor(-1)]),
      'age with trailing bytes': block([7, 2, 0, 0, hex('0500')]),
      'age empty': block([7, 2, 0, 0, new Uint8Array(0)]),
      'previous node not an EID': block([6, 2, 0, 0, encodeCbor('dtn://a/')]),
      'previous node bad EID': block([6, 2, 0, 0, encodeCbor([1, '//a b/'])]),
      'mesh priority 4': marked('public', 4),
      'mesh unknown audience': marked('everyone', 1),
      'mesh items out of order': marked(1, 'public'),
      'mesh extra item': marked('public', 1, 'x'),
      'mesh item missing': marked('public'),
      'mesh trailing bytes': block([192, 2, 0, 0, concat(encodeCbor([MESH_METADATA_MARKER, 'public', 1]), hex('00'))]),
    };
    for (const [what, b] of Object.entries(cases)) expect(errorCode(withBlocks(b)), what).toBe('bad-block-data');
  });

  it('Scenario: duplicate extension blocks are refused', () => {
    const hops = (n: number) => block([10, n, 0, 0, encodeCbor([9, 0])]);
    expect(errorCode(withBlocks(hops(2), hops(3)))).toBe('duplicate-extension-block');
  });

  it('Scenario: no clock requires a bundle age', () => {
    const items = primaryItems();
    items[6] = [0, 1];
    expect(errorCode(frame(block(items, 2), block(payloadItems())))).toBe('missing-bundle-age');
    const age = block([7, 2, 0, 0, encodeCbor(10)]);
    expect(mustDecode(frame(block(items, 2), age, block(payloadItems()))).bundle.primary.creationTime).toBe(0);
  });

  it('Scenario: primary block without CRC needs a BIB — accepted when a block integrity block targets block 0', () => {
    // Abstract security block data (RFC 9172 §3.6): targets, context id, flags, source, results.
    const asb = (targets: number[]) => concat(encodeCbor(targets), encodeCbor(1), encodeCbor(0), encodeCbor([1, '//a/']), encodeCbor([]));
    const withBib = (data: Uint8Array) => frame(block(primaryItems({ crcType: 0 })), block([11, 2, 0, 0, data]), block(payloadItems()));
    const r = mustDecode(withBib(asb([0])));
    expect(r.bundle.primary.crcType).toBe(0);
    expect(mustDecode(withBib(asb([1, 0]))).bundle.primary.crcType).toBe(0);
    expect(errorCode(frame(block(primaryItems({ crcType: 0 })), block(payloadItems())))).toBe('bad-crc-type');
  });

  it('Scenario: a BIB that does not target the primary block does not waive its CRC', () => {
    const asb = (targets: number[]) => concat(encodeCbor(targets), encodeCbor(1), encodeCbor(0), encodeCbor([1, '//a/']), encodeCbor([]));
    const withBib = (data: Uint8Array) => frame(block(primaryItems({ crcType: 0 })), block([11, 2, 0, 0, data]), block(payloadItems()));
    expect(errorCode(withBib(asb([1])))).toBe('bad-crc-type');
    expect(errorCode(withBib(asb([])))).toBe('bad-crc-type');
    expect(errorCode(withBib(hex('00')))).toBe('bad-crc-type'); // not a security block at all
  });

  it('Scenario: every refusal names what is wrong — the throwing variant throws the same BundleError', () => {
    const bytes = minimal().subarray(0, 10);
    const r = decodeBundle(bytes);
    expect(r.ok).toBe(false);
    expect(() => decodeBundleOrThrow(bytes)).toThrowError(/truncated: input ends inside/);
    expect(decodeBundleOrThrow(minimal()).payload.data).toEqual(hex('6869'));
  });
});

