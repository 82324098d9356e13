import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { encode } from 'cbor2';
import { MAX_PAYLOAD_BYTES, SyncPayloadError, decodePayload, encodePayload } from '../../../src/core/sync/index.ts';
import type { SyncPayload } from '../../../src/core/sync/index.ts';

const idArb = fc.stringMatching(/^[A-Za-z0-9_.~:-]{1,40}$/);
const hashArb = fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => [...b].map((x) => x.toString(16).padStart(2, '0')).join(''));
const headsArb = fc.uniqueArray(hashArb, { maxLength: 4 });
const bytesArb = fc.uint8Array({ minLength: 1, maxLength: 64 });

const payloadArb: fc.Arbitrary<SyncPayload> = fc.oneof(
  fc.record({
    t: fc.constant('docs' as const),
    docs: fc.array(
      fc.record({ doc: idArb, heads: headsArb, community: idArb }, { requiredKeys: ['doc', 'heads'] }),
      { maxLength: 5 },
    ),
  }),
  fc.record({ t: fc.constant('sync' as const), doc: idArb, msg: bytesArb }),
  fc.record({ t: fc.constant('changes' as const), doc: idArb, community: idArb, heads: headsArb, deps: headsArb, data: bytesArb }),
);

/** Decoding must give a payload or a SyncPayloadError, never anything else. */
function decodesTotally(bytes: Uint8Array): boolean {
  try {
    decodePayload(bytes);
    return true;
  } catch (err) {
    return err instanceof SyncPayloadError;
  }
}

function codeOf(bytes: Uint8Array): string | undefined {
  try {
    decodePayload(bytes);
    return undefined;
  } catch (err) {
    return err instanceof SyncPayloadError ? err.code : 'untyped';
  }
}

const h = 'ab'.repeat(32);

describe('sync payload codec', () => {
  it('Scenario: every payload round-trips through its bytes (property)', () => {
    fc.assert(
      fc.property(payloadArb, (p) => {
        expect(decodePayload(encodePayload(p))).toEqual(p);
      }),
      { numRuns: 2000 },
    );
  });

  it('Scenario: mutated payload bytes decode or fail with a typed error (property)', () => {
    fc.assert(
      fc.property(
        payloadArb,
        fc.array(fc.record({ at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }), { minLength: 1, maxLength: 4 }),
        fc.nat(),
        (p, flips, cut) => {
          const bytes = encodePayload(p);
          const mutated = bytes.slice();
          for (const f of flips) mutated[f.at % mutated.length] = f.value;
          return decodesTotally(mutated) && decodesTotally(bytes.slice(0, cut % bytes.length));
        },
      ),
      { numRuns: 5_000 },
    );
  });

  it('Scenario: random bytes decode or fail with a typed error (property)', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), decodesTotally), { numRuns: 10_000 });
  });

  it('Scenario: malformed payloads name what is wrong', () => {
    const cases: [unknown, string][] = [
      [{ t: 'sync', doc: 'd' }, 'bad-shape'],
      [{ t: 'sync', doc: 'd', msg: new Uint8Array([1]), extra: 1 }, 'bad-shape'],
      [{ t: 'sync', doc: 'has space', msg: new Uint8Array([1]) }, 'bad-field'],
      [{ t: 'sync', doc: 'd', msg: 'text' }, 'bad-field'],
      [{ t: 'sync', doc: 'd', msg: new Uint8Array() }, 'bad-field'],
      [{ t: 'sync', doc: 7, msg: new Uint8Array([1]) }, 'bad-field'],
      [{ t: 'nope' }, 'bad-field'],
      [['sync'], 'bad-shape'],
      [{ t: 'docs', docs: {} }, 'bad-field'],
      [{ t: 'docs', docs: [{ doc: 'd', heads: [new Uint8Array(31)] }] }, 'bad-field'],
      [{ t: 'docs', docs: [{ doc: 'd', heads: [], c: 'x' }] }, 'bad-shape'],
      [{ t: 'changes', doc: 'd', community: 'c', heads: [new Uint8Array(32), new Uint8Array(32)], deps: [], data: new Uint8Array([1]) }, 'bad-field'],
      [{ t: 'changes', doc: 'd', community: 'c', heads: new Array(1025).fill(new Uint8Array(32)), deps: [], data: new Uint8Array([1]) }, 'too-large'],
    ];
    for (const [value, code] of cases) expect([value, codeOf(encode(value))]).toEqual([value, code]);
  });

  it('Scenario: CBOR outside the strict profile is refused', () => {
    const sync = encode({ t: 'sync', doc: 'd', msg: new Uint8Array([1]) });
    expect(codeOf(new Uint8Array([...sync, 0]))).toBe('not-cbor'); // trailing bytes
    expect(codeOf(new Uint8Array([0xbf, 0x61, 0x74, 0x64, 0x73, 0x79, 0x6e, 0x63, 0xff]))).toBe('not-cbor'); // indefinite map
    expect(codeOf(new Uint8Array([0xc1, 0x01]))).toBe('bad-shape'); // a tag, not a map
    expect(codeOf(new Uint8Array([0xa2, 0x61, 0x74, 0x61, 0x78, 0x61, 0x74, 0x61, 0x79]))).toBe('not-cbor'); // duplicate key
    expect(codeOf(new Uint8Array([0x9b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]))).toBe('not-cbor'); // absurd length
  });

  it('Scenario: an oversized payload is refused before decoding', () => {
    expect(codeOf(new Uint8Array(MAX_PAYLOAD_BYTES + 1))).toBe('too-large');
    const small = encodePayload({ t: 'sync', doc: 'd', msg: new Uint8Array(100) });
    expect(() => decodePayload(small, { maxBytes: 50 })).toThrow(SyncPayloadError);
  });

  it('Scenario: encoding refuses a payload the peer would refuse', () => {
    const bad: SyncPayload[] = [
      { t: 'sync', doc: '', msg: new Uint8Array([1]) },
      { t: 'changes', doc: 'd', community: 'c', heads: ['xyz'], deps: [], data: new Uint8Array([1]) },
      { t: 'changes', doc: 'd', community: 'c', heads: [h, h], deps: [], data: new Uint8Array([1]) },
      { t: 'docs', docs: [{ doc: 'd', heads: [], community: 'bad id' }] },
    ];
    for (const p of bad) expect(() => encodePayload(p)).toThrow(SyncPayloadError);
  });
});
