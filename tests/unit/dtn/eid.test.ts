import { decode } from 'cbor2';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BundleError, formatEid, isGroupEid, isValidEid, nodeIdOf, parseEid } from '../../../src/core/dtn/index.ts';
import { eidToCbor, readEid } from '../../../src/core/dtn/eid.ts';
import { CborReader } from '../../../src/core/dtn/cbor-reader.ts';
import { encodeItem } from '../../../src/core/dtn/cbor-items.ts';
import { eidArb } from './arbitraries.ts';
import { hex } from './craft.ts';
import { thrownCode } from '../../helpers/thrown-code.ts';

function readFrom(bytes: Uint8Array): string {
  return readEid(new CborReader(bytes), 'eid');
}

const codeOf = (f: () => unknown) => thrownCode(BundleError, f);

describe('dtn endpoint IDs', () => {
  it('Scenario: EID encodings — dtn:none is [1, 0]', () => {
    expect(encodeItem(eidToCbor('dtn:none'))).toEqual(hex('82 01 00'));
    expect(readFrom(hex('82 01 00'))).toBe('dtn:none');
  });

  it('Scenario: EID encodings — dtn://node/service is [1, "//node/service"]', () => {
    const bytes = encodeItem(eidToCbor('dtn://node/service'));
    expect(decode(bytes)).toEqual([1, '//node/service']);
    expect(readFrom(bytes)).toBe('dtn://node/service');
  });

  it('Scenario: EID encodings — ipn:5.7 is [2, [5, 7]]', () => {
    expect(encodeItem(eidToCbor('ipn:5.7'))).toEqual(hex('82 02 82 05 07'));
    expect(readFrom(hex('82 02 82 05 07'))).toBe('ipn:5.7');
  });

  it('Scenario: EID text round-trips — parse/format and text/CBOR are lossless', () => {
    fc.assert(
      fc.property(eidArb, (text) => {
        expect(formatEid(parseEid(text))).toBe(text);
        expect(readFrom(encodeItem(eidToCbor(text)))).toBe(text);
      }),
    );
  });

  it('Scenario: EID text round-trips — structured fields', () => {
    expect(parseEid('dtn://relay-a/sync')).toEqual({ scheme: 'dtn', none: false, node: 'relay-a', service: 'sync' });
    expect(parseEid('dtn://relay-a/')).toEqual({ scheme: 'dtn', none: false, node: 'relay-a', service: '' });
    expect(parseEid('dtn://a/b/c')).toEqual({ scheme: 'dtn', none: false, node: 'a', service: 'b/c' });
    expect(parseEid('ipn:0.0')).toEqual({ scheme: 'ipn', node: 0, service: 0 });
    expect(parseEid('dtn:none')).toEqual({ scheme: 'dtn', none: true });
    expect(nodeIdOf('dtn://relay-a/sync')).toBe('dtn://relay-a/');
    expect(nodeIdOf('ipn:9.3')).toBe('ipn:9.0');
  });

  it('Scenario: malformed EIDs are refused — text forms', () => {
    const bad = [
      '', 'dtn:', 'dtn://', 'dtn:///x', 'dtn://node', 'dtn://no de/x', 'dtn://n/x y', 'dtn://n/é', 'dtn://n%zz/x',
      'dtn:/n/x', 'DTN://n/x', 'dtn:None', 'ipn:', 'ipn:1', 'ipn:1.2.3', 'ipn:01.2', 'ipn:1.-2', 'ipn:1.x',
      'ipn:9007199254740992.0', 'http://x/y', 'dtn://[::1]/x',
    ];
    for (const text of bad) {
      expect(isValidEid(text), text).toBe(false);
      expect(codeOf(() => parseEid(text)), text).toBe('bad-eid');
    }
  });

  it('Scenario: malformed EIDs are refused — CBOR forms', () => {
    const bad = {
      'unknown scheme 3': '82 03 00',
      'dtn SSP integer 1': '82 01 01',
      'dtn SSP without //': '82 01 64 6e 6f 6e 65', // [1, "none"]
      'dtn SSP with a space': '82 01 66 2f 2f 61 2f 20 62', // [1, "//a/ b"]
      'three items': '83 01 00 00',
      'ipn SSP of 3 numbers': '82 02 83 01 02 03',
    };
    for (const [what, h] of Object.entries(bad)) expect(codeOf(() => readFrom(hex(h))), what).toBe('bad-eid');
  });

  it('Scenario: group endpoints are recognised', () => {
    expect(isValidEid('dtn://~community-id/changes')).toBe(true);
    expect(isGroupEid('dtn://~community-id/changes')).toBe(true);
    expect(isGroupEid('dtn://~agent/inbox')).toBe(true);
    expect(isGroupEid('dtn://node/~group')).toBe(true); // RFC 9171 demux convention
    expect(isGroupEid('dtn://relay-a/sync')).toBe(false);
    expect(isGroupEid('ipn:1.2')).toBe(false);
    expect(isGroupEid('dtn:none')).toBe(false);
  });
});
