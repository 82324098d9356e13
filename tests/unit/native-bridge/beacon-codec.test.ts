import { encode } from 'cbor2';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BeaconDecodeError, decodeBeacon, encodeBeacon, MAX_BEACON_BYTES, type Beacon } from '../../../src/core/protocol/beacon.ts';

const hex2 = fc.integer({ min: 0, max: 255 }).map((n) => n.toString(16).padStart(2, '0'));
const beacon: fc.Arbitrary<Beacon> = fc.record(
  {
    v: fc.constant(1 as const),
    node: fc.stringMatching(/^[a-z0-9._-]{1,64}$/).map((s) => `dtn://${s}/`),
    port: fc.integer({ min: 1, max: 65535 }),
    mac: fc.array(hex2, { minLength: 6, maxLength: 6 }).map((a) => a.join(':')),
    island: fc.string({ maxLength: 64 }),
  },
  { requiredKeys: ['v', 'node', 'port'] },
);

function reason(bytes: Uint8Array): string {
  try {
    decodeBeacon(bytes);
  } catch (e) {
    expect(e).toBeInstanceOf(BeaconDecodeError);
    return (e as BeaconDecodeError).reason;
  }
  return 'ok';
}

describe('beacon codec', () => {
  it('Scenario: beacon codec round-trips', () => {
    fc.assert(fc.property(beacon, (b) => {
      expect(decodeBeacon(encodeBeacon(b))).toEqual(b);
    }));
  });

  it('Scenario: malformed or oversized datagrams are typed errors (random bytes never throw anything else)', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 600 }), (bytes) => void reason(bytes)));
  });

  it('Scenario: malformed or oversized datagrams are typed errors (each reason)', () => {
    expect(reason(new Uint8Array(MAX_BEACON_BYTES + 1))).toBe('oversized');
    expect(reason(new Uint8Array([0xff, 0x00]))).toBe('not-cbor');
    expect(reason(encode([1, 2]))).toBe('not-a-map');
    expect(reason(encode({ v: 2, node: 'dtn://x/', port: 1 }))).toBe('bad-version');
    expect(reason(encode({ v: 1, node: 'http://x/', port: 1 }))).toBe('bad-field');
    expect(reason(encode({ v: 1, node: 'dtn://x/', port: 70000 }))).toBe('bad-field');
    expect(reason(encode({ v: 1, node: 'dtn://x/', port: 1, mac: 'nope' }))).toBe('bad-field');
    expect(reason(encode({ v: 1, node: 'dtn://x/', port: 1, island: 'x'.repeat(65) }))).toBe('bad-field');
    expect(decodeBeacon(encode({ v: 1, node: 'dtn://x/', port: 1, mac: 'AA:BB:CC:DD:EE:FF' })).mac).toBe('aa:bb:cc:dd:ee:ff');
  });
});
