import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  BlockFlags,
  BundleFlags,
  Reassembler,
  createBundle,
  decodeBundle,
  decodeBundleOrThrow,
  encodeBundle,
  fragmentAt,
  fragmentBundle,
  type Bundle,
  type ExtensionBlock,
  type ReassemblyResult,
} from '../../../src/core/dtn/index.ts';
import { bundleArb } from './arbitraries.ts';
import { block, frame, hex, primaryItems } from './craft.ts';

const wire = (b: Bundle): Bundle => decodeBundleOrThrow(encodeBundle(b));

/** Any valid, fragmentable, whole bundle with at least 2 payload bytes. */
const wholeArb = fc
  .tuple(bundleArb, fc.uint8Array({ minLength: 2, maxLength: 300 }))
  .filter(([b]) => b.primary.source !== 'dtn:none')
  .map(([b, data]): Bundle => {
    const { fragment: _f, ...primary } = b.primary;
    const flags = primary.flags & ~(BundleFlags.MustNotFragment | BundleFlags.IsFragment);
    return { ...b, primary: { ...primary, flags }, payload: { ...b.payload, data } };
  });

const cutsArb = (length: number) => fc.uniqueArray(fc.integer({ min: 1, max: length - 1 }), { maxLength: 8 });

/**
 * A bundle and a delivery of its fragments: two independent fragmentations (so pieces overlap),
 * some fragments fragmented again, every piece of the first included, extras and duplicates from
 * the second, all shuffled.
 */
const deliveryArb = wholeArb.chain((b) =>
  fc
    .tuple(cutsArb(b.payload.data.length).filter((c) => c.length > 0), cutsArb(b.payload.data.length), fc.array(fc.nat(), { maxLength: 6 }))
    .chain(([cutsA, cutsB, extraPicks]) => {
      const a = fragmentAt(b, cutsA).flatMap((f) => (f.payload.data.length > 2 ? fragmentAt(f, [1]) : [f]));
      const other = fragmentAt(b, cutsB.length ? cutsB : [1]);
      const extras = extraPicks.map((i) => (i % 2 ? other : a)[i % (i % 2 ? other.length : a.length)]);
      return fc.shuffledSubarray([...a, ...extras], { minLength: a.length + extras.length }).map((order) => ({ b, order }));
    }),
);

describe('dtn fragmentation (RFC 9171 §5.8, §5.9)', () => {
  it('Scenario: any fragmentation reassembles to the original — any order, duplicates and overlaps, once', () => {
    fc.assert(
      fc.property(deliveryArb, ({ b, order }) => {
        const r = new Reassembler();
        const results: ReassemblyResult[] = order.map((f) => r.add(wire(f)));
        const complete = results.filter((x) => x.kind === 'complete');
        expect(complete).toHaveLength(1);
        const whole = complete[0].kind === 'complete' ? complete[0].bundle : undefined;
        expect(whole).toEqual(b);
        expect(wire(whole!)).toEqual(b);
        // Everything after completion is recognised as done, and nothing stays held.
        const at = results.indexOf(complete[0]);
        expect(results.slice(at + 1).every((x) => x.kind === 'already-complete')).toBe(true);
        expect([r.pendingBytes, r.pendingBundles]).toEqual([0, 0]);
      }),
      { numRuns: 150 },
    );
  });

  it('Scenario: fragments carry the blocks RFC 9171 §5.8 asks for', () => {
    fc.assert(
      fc.property(wholeArb, fc.integer({ min: 1, max: 50 }), (b, size) => {
        const frags = fragmentBundle(b, size);
        if (size >= b.payload.data.length) return void expect(frags).toEqual([b]); // nothing to cut
        expect(frags.map((f) => f.payload.data.length).reduce((x, y) => x + y, 0)).toBe(b.payload.data.length);
        for (const f of frags) {
          const { offset, totalAduLength } = f.primary.fragment!;
          expect(totalAduLength).toBe(b.payload.data.length);
          expect(f.primary.flags & BundleFlags.IsFragment).toBe(1);
          const noClockAge = (e: ExtensionBlock) => b.primary.creationTime === 0 && e.kind === 'bundle-age';
          const expected = offset === 0 ? b.extensions : b.extensions.filter((e) => e.flags & BlockFlags.ReplicateInFragments || noClockAge(e));
          expect(f.extensions).toEqual(expected);
          expect(wire(f)).toEqual(f);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('Scenario: a must-not-fragment bundle is not fragmented', () => {
    const b = createBundle({ source: 'dtn://a/', destination: 'dtn://b/x', payload: hex('0102030405'), lifetimeMs: 1000 });
    expect(b.primary.flags & BundleFlags.MustNotFragment).toBe(BundleFlags.MustNotFragment);
    expect(() => fragmentBundle(b, 2)).toThrowError(/must not be fragmented/);
  });

  it('Scenario: a fragment that must not be fragmented again is accepted and reassembled', () => {
    // Hand-made bytes, as dtn-demo-agent's bundle generator sends them: flags "is a fragment" (0x01)
    // and "must not be fragmented" (0x04), offsets 0 and 2 of a 4-byte ADU.
    const piece = (offset: number, data: Uint8Array, primary = primaryItems({ flags: 0x05 })) =>
      frame(block([...primary, offset, 4], 2), block([1, 1, 0, 0, data]));
    const first = decodeBundle(piece(0, hex('0102')));
    const second = decodeBundle(piece(2, hex('0304')));
    if (!first.ok || !second.ok) throw new Error('fragment refused');
    expect(() => fragmentBundle(first.bundle, 1)).toThrowError(/must not be fragmented/);
    const r = new Reassembler();
    expect(r.add(first.bundle).kind).toBe('pending');
    const done = r.add(second.bundle);
    expect(done.kind === 'complete' && done.bundle.payload.data).toEqual(hex('01020304'));
    // A fragment of an anonymous bundle is refused: reassembly needs the bundle's identity.
    const anonymous = primaryItems({ flags: 0x05 });
    anonymous[4] = [1, 0];
    const refused = decodeBundle(piece(0, hex('0102'), anonymous));
    expect(refused.ok ? undefined : refused.error.code).toBe('bad-flags');
  });

  it('Scenario: reassembly memory is bounded', () => {
    const dropped: string[] = [];
    const r = new Reassembler({ maxAduBytes: 100, maxPendingBytes: 60, maxPendingBundles: 2, rememberCompleted: 10 }, (id) => dropped.push(id));
    const make = (seq: number, size: number) =>
      createBundle({ source: 'dtn://a/', destination: 'dtn://b/x', payload: new Uint8Array(size).fill(seq), lifetimeMs: 1000, sequence: seq, flags: 0 });
    // An ADU above the limit is refused outright, whatever its fragment claims.
    expect(r.add(fragmentBundle(make(1, 101), 50)[0]).kind).toBe('refused');
    // Three incomplete bundles where two fit: the oldest is dropped.
    const halves = [2, 3, 4].map((s) => fragmentBundle(make(s, 40), 20));
    for (const h of halves) expect(r.add(h[0]).kind).toBe('pending');
    expect(r.pendingBundles).toBe(2);
    expect(r.pendingBytes).toBeLessThanOrEqual(60);
    expect(dropped).toEqual([halves[0][0].primary.source + ' ' + halves[0][0].primary.creationTime + ' 2']);
    // The survivors still complete.
    expect(r.add(halves[2][1]).kind).toBe('complete');
    // A fragment contradicting the total length of earlier ones is refused.
    const odd = fragmentBundle(make(3, 44), 20)[1];
    expect(r.add({ ...odd, primary: { ...odd.primary, creationTime: halves[1][0].primary.creationTime } }).kind).toBe('refused');
  });
});
