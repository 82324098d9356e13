import { describe, expect, it } from 'vitest';
import {
  BundleError,
  createBundle,
  decodeBundle,
  decodeBundleOrThrow,
  encodeBundle,
  type Bundle,
  type BundleErrorCode,
} from '../../../src/core/dtn/index.ts';
import { block, concat, frame, hex, minimal, payloadItems, primaryItems } from './craft.ts';

const P = () => block(primaryItems(), 2);
const PAYLOAD = () => block(payloadItems());
const withPrimary = (items: unknown[], crc: 0 | 1 | 2 = 2) => frame(block(items, crc), PAYLOAD());
const withBlocks = (...blocks: Uint8Array[]) => frame(P(), ...blocks, PAYLOAD());
const primaryWith = (i: number, v: unknown) => {
  const items = primaryItems();
  items[i] = v;
  return items;
};

function decodeError(bytes: Uint8Array): BundleError {
  const r = decodeBundle(bytes);
  if (r.ok) throw new Error('expected a decode error, got a bundle');
  return r.error;
}

function encodeError(b: Bundle): BundleError {
  try {
    encodeBundle(b);
  } catch (e) {
    if (e instanceof BundleError) return e;
    throw e;
  }
  throw new Error('expected an encode error');
}

const valid = (): Bundle => createBundle({ source: 'dtn://a/x', destination: 'dtn://b/y', payload: hex('00'), lifetimeMs: 1000, creationTimeMs: Date.UTC(2025, 0, 1), sequence: 1 });

/** One crafted input per error code; the Record type makes the list complete by construction. */
const triggers: Record<BundleErrorCode, () => BundleError> = {
  truncated: () => decodeError(minimal().subarray(0, minimal().length - 1)),
  'not-indefinite-array': () => decodeError(concat(hex('83'), P(), PAYLOAD())),
  'indefinite-length': () => decodeError(frame(P(), hex('85 01 01 00 00 5f 42 6869 ff'))), // chunked byte string
  'not-shortest-form': () => decodeError(frame(P(), hex('85 01 1801 00 00 42 6869'))), // block number 1 as 0x18 0x01
  'bad-cbor': () => decodeError(frame(P(), hex('85 1c 01 00 00 42 6869'))), // additional information 28
  'wrong-type': () => decodeError(frame(P(), block([1, 1, 0, 0, 'hi']))), // payload data as text
  'integer-too-large': () => decodeError(withPrimary(primaryWith(7, 2n ** 53n))),
  'bad-utf8': () => badUtf8(),
  'trailing-bytes': () => decodeError(concat(minimal(), hex('00'))),
  'bad-block-length': () => decodeError(withPrimary(primaryItems().slice(0, 7))),
  'bad-version': () => decodeError(withPrimary(primaryWith(0, 6))),
  'bad-flags': () => decodeError(withPrimary(primaryWith(4, [1, 0]))), // dtn:none source without must-not-fragment
  'bad-crc-type': () => decodeError(withPrimary(primaryWith(2, 3), 0)),
  'bad-crc': () => {
    const bytes = minimal();
    bytes[P().length] ^= 0xff; // last byte of the primary block's CRC value
    return decodeError(bytes);
  },
  'bad-eid': () => decodeError(withPrimary(primaryWith(3, [3, 0]))),
  'bad-fragment': () => decodeError(withPrimary([...primaryWith(1, 1), 10, 5])),
  'bad-block-type': () => decodeError(withBlocks(block([0, 2, 0, 0, hex('00')]))),
  'bad-block-number': () => decodeError(withBlocks(block([7, 0, 0, 0, hex('00')]))),
  'duplicate-block-number': () => decodeError(withBlocks(block([7, 2, 0, 0, hex('00')]), block([200, 2, 0, 0, hex('00')]))),
  'duplicate-extension-block': () => decodeError(withBlocks(block([7, 2, 0, 0, hex('00')]), block([7, 3, 0, 0, hex('00')]))),
  'bad-block-data': () => decodeError(withBlocks(block([7, 2, 0, 0, hex('6161')]))),
  'missing-payload': () => decodeError(frame(P())),
  'payload-not-last': () => decodeError(frame(P(), PAYLOAD(), block([7, 2, 0, 0, hex('00')]))),
  'missing-bundle-age': () => decodeError(withPrimary(primaryWith(6, [0, 1]))),
  'too-many-blocks': () => decodeError(withBlocks(...Array.from({ length: 300 }, (_, i) => block([200, i + 2, 0, 0, hex('')])))),
  'delete-bundle': () => decodeError(withBlocks(block([200, 2, 0x04, 0, hex('00')]))),
  'invalid-field': () => encodeError({ ...valid(), primary: { ...valid().primary, lifetimeMs: -1 } }),
  internal: () => decodeError(faultyInput()),
};

/** [1, "//\xff"] as the destination: invalid UTF-8 inside an EID. */
function badUtf8(): BundleError {
  const primary = hex('88 07 00 00 8201 63 2f2fff 8201 00 8201 00 82 00 01 00');
  return decodeError(frame(primary, PAYLOAD()));
}

/** An input whose byte access throws: stands in for a decoder bug, which must still be typed. */
function faultyInput(): Uint8Array {
  return new Proxy(new Uint8Array(8), {
    get(target, key) {
      if (key === '0') throw new RangeError('simulated fault');
      return Reflect.get(target, key);
    },
  });
}

/** Codes that are the subject of their own spec scenario are tested under that name. */
const SCENARIO_OF: Partial<Record<BundleErrorCode, string>> = {
  'trailing-bytes': 'trailing bytes are refused',
  'bad-version': 'wrong protocol version is refused',
  'bad-fragment': 'fragment outside its ADU is refused',
  'bad-crc-type': 'unknown CRC type is refused',
  'missing-payload': 'missing payload is refused',
  'payload-not-last': 'payload must be last',
  'bad-block-type': 'reserved block type is refused',
  'too-many-blocks': 'too many blocks are refused',
};

describe('dtn decoding errors', () => {
  for (const [code, trigger] of Object.entries(triggers)) {
    const scenario = SCENARIO_OF[code as BundleErrorCode];
    const title = scenario ? `${scenario} (every error code is reachable — ${code})` : `every error code is reachable — ${code}`;
    it(`Scenario: ${title}`, () => {
      const e = trigger();
      expect(e).toBeInstanceOf(BundleError);
      expect(e.code).toBe(code);
      expect(e.message.startsWith(`${code}: `)).toBe(true);
      expect(e.message.length).toBeGreaterThan(code.length + 5);
    });
  }

  it('Scenario: truncated bundle is a typed error — every proper prefix of a valid bundle', () => {
    const bytes = encodeBundle(valid());
    for (let n = 0; n < bytes.length; n++) {
      const e = decodeError(bytes.subarray(0, n));
      expect(e.code, `prefix of ${n} bytes`).toBe('truncated');
    }
  });

  it('Scenario: claimed length beyond the input is refused', () => {
    const e = decodeError(frame(P(), hex('85 01 01 00 00 5b 001fffffffffffff 00')));
    expect(e.code).toBe('truncated');
    expect(e.message).toContain('claims 9007199254740991 bytes');
    expect(decodeError(frame(P(), hex('85 01 01 00 00 5b 0020000000000000'))).code).toBe('integer-too-large');
  });

  it('Scenario: definite-length outer array is refused — also BPv6 and empty input', () => {
    expect(decodeError(hex('06 81 00')).code).toBe('not-indefinite-array');
    expect(decodeError(new Uint8Array(0)).code).toBe('truncated');
  });

  it('Scenario: indefinite-length strings and maps are refused', () => {
    expect(decodeError(withPrimary(primaryWith(3, new Map([[1, 0]])))).code).toBe('wrong-type');
    expect(decodeError(withBlocks(hex('85 18c8 02 00 00 5f 41 00 ff'))).code).toBe('indefinite-length'); // chunked byte string
  });

  it('Scenario: item count must match flags and CRC type', () => {
    expect(decodeError(withPrimary([...primaryItems(), 1, 2])).code).toBe('bad-block-length'); // fragment fields, no flag
    expect(decodeError(withPrimary(primaryItems({ crcType: 0 }), 2)).code).toBe('bad-block-length'); // CRC with type 0
    expect(decodeError(withBlocks(block([200, 2, 0, 0]))).code).toBe('bad-block-length');
    expect(decodeError(withBlocks(block([200, 2, 0, 1, hex('00')]))).code).toBe('bad-block-length'); // CRC type 1, no CRC
  });

  it('Scenario: contradictory bundle flags are refused', () => {
    expect(decodeError(withPrimary(primaryItems({ flags: 0x02 | 0x4000 }))).code).toBe('bad-flags'); // admin + report
    const anonymous = primaryWith(4, [1, 0]);
    anonymous[1] = 0x04;
    expect(decodeBundle(withPrimary(anonymous)).ok).toBe(true);
    anonymous[1] = 0x05;
    expect(decodeError(withPrimary([...anonymous, 0, 10])).code).toBe('bad-flags'); // an anonymous fragment
  });

  it('Scenario: corrupted block fails its CRC — wrong CRC length', () => {
    const items = [...primaryItems({ crcType: 1 }), hex('000000')];
    expect(decodeError(frame(block(items), PAYLOAD())).code).toBe('bad-crc');
  });

  it('Scenario: block numbers are unique and reserved numbers respected', () => {
    expect(decodeError(frame(P(), block([1, 2, 0, 0, hex('00')]))).code).toBe('bad-block-number'); // payload not 1
    expect(decodeError(withBlocks(block([7, 1, 0, 0, hex('00')]))).code).toBe('bad-block-number');
    // a discarded unknown block still claims its number
    const discarded = block([200, 2, 0x10, 0, hex('00')]);
    expect(decodeError(withBlocks(discarded, block([7, 2, 0, 0, hex('00')]))).code).toBe('duplicate-block-number');
  });

  it('Scenario: encoder refuses invalid bundles — with the decoder error codes', () => {
    const b = valid();
    const cases: [BundleErrorCode, Bundle][] = [
      ['bad-eid', { ...b, primary: { ...b.primary, destination: 'dtn://no slash' } }],
      ['invalid-field', { ...b, primary: { ...b.primary, sequence: 1.5 } }],
      ['integer-too-large', { ...b, primary: { ...b.primary, creationTime: 2 ** 53 } }],
      ['bad-crc-type', { ...b, primary: { ...b.primary, crcType: 0 } }],
      ['bad-crc-type', { ...b, payload: { ...b.payload, crcType: 7 as never } }],
      ['bad-fragment', { ...b, primary: { ...b.primary, flags: 0, fragment: { offset: 0, totalAduLength: 0 } } }],
      ['bad-flags', { ...b, primary: { ...b.primary, source: 'dtn:none', reportTo: 'dtn:none', fragment: { offset: 0, totalAduLength: 5 } } }], // anonymous fragment
      ['duplicate-block-number', { ...b, extensions: [b.extensions[0], { ...b.extensions[1], number: b.extensions[0].number }] }],
      ['bad-block-number', { ...b, extensions: [{ ...b.extensions[0], number: 1 }] }],
      ['bad-block-data', { ...b, extensions: [{ kind: 'hop-count', number: 2, flags: 0, crcType: 0, limit: 0, count: 0 }] }],
      ['bad-block-data', { ...b, extensions: [{ kind: 'mesh-metadata', number: 2, flags: 0, crcType: 0, priority: 9 as never, audience: 'public' }] }],
      ['bad-block-type', { ...b, extensions: [{ kind: 'unknown', type: 7, number: 2, flags: 0, crcType: 0, data: hex('00') }] }],
      ['duplicate-extension-block', { ...b, extensions: [...b.extensions, { ...b.extensions[2], number: 9 }] }],
    ];
    for (const [code, bad] of cases) expect(encodeError(bad).code, code).toBe(code);
  });

  it('Scenario: every refusal names what is wrong — decodeBundleOrThrow throws only BundleError', () => {
    expect(() => decodeBundleOrThrow(hex('9f'))).toThrow(BundleError);
    const e = decodeError(withBlocks(block([200, 7, 0x06, 0, hex('00')])));
    expect(e.detail).toEqual({ blockType: 200, blockNumber: 7, statusReportRequested: true });
  });
});
