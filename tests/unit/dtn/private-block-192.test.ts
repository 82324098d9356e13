import { encode as encodeCbor } from 'cbor2';
import { describe, expect, it } from 'vitest';
import {
  Audience,
  BlockFlags,
  MESH_METADATA_MARKER,
  Priority,
  audienceOf,
  createBundle,
  decodeBundle,
  encodeBundle,
  priorityOf,
  type Bundle,
} from '../../../src/core/dtn/index.ts';
import { block, frame, hex, payloadItems, primaryItems, toHex } from './craft.ts';

const withBlock = (b: Uint8Array) => frame(block(primaryItems(), 2), b, block(payloadItems()));
const decoded = (bytes: Uint8Array): Bundle => {
  const r = decodeBundle(bytes);
  if (!r.ok) throw r.error;
  return r.bundle;
};

describe('dtn codec: private block type 192', () => {
  it('Scenario: mesh metadata carries the project marker', () => {
    const b = createBundle({ source: 'dtn://a/', destination: 'dtn://b/x', payload: hex('00'), lifetimeMs: 1000, priority: Priority.Emergency, audience: Audience.Trusted });
    const bytes = encodeBundle(b);
    const needle = toHex(encodeCbor([MESH_METADATA_MARKER, 'trusted', 0]));
    expect(toHex(bytes)).toContain(needle);
    const back = decoded(bytes);
    expect([priorityOf(back), audienceOf(back)]).toEqual([0, 'trusted']);
  });

  it('Scenario: mesh metadata written before the marker is still read', () => {
    const legacy = block([192, 2, 0, 0, encodeCbor(new Map<string, unknown>([['audience', 'local'], ['priority', 1]]))]);
    const b = decoded(withBlock(legacy));
    expect([priorityOf(b), audienceOf(b)]).toEqual([1, 'local']);
    // Re-encoded in the marked form, which reads back the same.
    const again = decoded(encodeBundle(b));
    expect([priorityOf(again), audienceOf(again)]).toEqual([1, 'local']);
  });

  it("Scenario: another node's block 192 is an unknown block", () => {
    const foreign = [
      block([192, 2, 0, 0, hex('010203')]),
      block([192, 2, 0, 0, encodeCbor(['other-project', 'public', 1])]),
      block([192, 2, 0, 0, encodeCbor(new Map<string, unknown>([['audience', 'everyone'], ['priority', 9]]))]),
    ];
    for (const f of foreign) {
      const bytes = withBlock(f);
      const b = decoded(bytes);
      expect(b.extensions).toEqual([expect.objectContaining({ kind: 'unknown', type: 192 })]);
      expect(priorityOf(b)).toBe(Priority.Normal); // its data is not taken as ours
      expect(toHex(encodeBundle(b))).toBe(toHex(bytes)); // carried unchanged
    }
    // …and its flags apply as for any unknown block (RFC 9171 §4.2.4).
    const r = decodeBundle(withBlock(block([192, 2, BlockFlags.DiscardIfUnprocessable, 0, hex('01')])));
    expect(r.ok && r.discarded).toEqual([{ type: 192, number: 2, statusReportRequested: false }]);
    const del = decodeBundle(withBlock(block([192, 2, BlockFlags.DeleteBundleIfUnprocessable, 0, hex('01')])));
    expect(del.ok ? undefined : del.error.code).toBe('delete-bundle');
  });
});

describe('dtn codec: status report flags of blocks (RFC 9171 §4.2.4)', () => {
  it('Scenario: anonymous bundles and administrative records ask for no block reports', () => {
    const anonymous = primaryItems({ flags: 0x04 });
    anonymous[4] = [1, 0];
    const admin = primaryItems({ flags: 0x02 });
    const asking = block([200, 2, BlockFlags.ReportIfUnprocessable, 0, hex('00')]);
    const payloadAsking = block([1, 1, BlockFlags.ReportIfUnprocessable, 0, hex('00')]);
    for (const p of [anonymous, admin]) {
      expect(decodeBundle(frame(block(p, 2), block(payloadItems()))).ok).toBe(true);
      const a = decodeBundle(frame(block(p, 2), asking, block(payloadItems())));
      expect(a.ok ? undefined : a.error.code).toBe('bad-flags');
      const b = decodeBundle(frame(block(p, 2), payloadAsking));
      expect(b.ok ? undefined : b.error.code).toBe('bad-flags');
    }
    // A bundle with a source may ask.
    expect(decodeBundle(frame(block(primaryItems(), 2), asking, block(payloadItems()))).ok).toBe(true);
  });
});
