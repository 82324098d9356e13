import { encode as encodeCbor } from 'cbor2';
import fc from 'fast-check';
import nacl from 'tweetnacl';
import { describe, expect, it } from 'vitest';
import { naclSigner } from '../../../src/core/sync/changeset-auth.ts';
import {
  Audience,
  BlockFlags,
  MESH_METADATA_MARKER,
  METADATA_SEAL_BLOCK,
  Priority,
  prepareForForward,
  sealMetadata,
  sealedMetadata,
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

describe('dtn: mesh metadata acted on only when sealed (block 194)', () => {
  const keys = nacl.sign.keyPair.fromSeed(new Uint8Array(32).fill(7));
  const sign = naclSigner(keys.secretKey);
  const check = (m: Uint8Array, s: Uint8Array, pk: Uint8Array) => nacl.sign.detached.verify(m, s, pk);
  const make = (o: { priority: Priority; audience: Audience; destination?: string; seq?: number }) =>
    createBundle({ source: 'dtn://a/', destination: o.destination ?? 'dtn://b/x', payload: hex('00'), lifetimeMs: 1000, sequence: o.seq ?? 1, priority: o.priority, audience: o.audience });
  const wire = (b: Bundle): Bundle => decoded(encodeBundle(b));
  const priorityArb = fc.constantFrom<Priority>(0, 1, 2, 3);
  const audienceArb = fc.constantFrom<Audience>('public', 'local', 'trusted', 'private');

  it('Scenario: sealed mesh metadata is read as written, on the wire and after forwarding', () => {
    fc.assert(
      fc.property(priorityArb, audienceArb, fc.stringMatching(/^[a-z0-9]{0,12}$/), (priority, audience, path) => {
        const b = wire(sealMetadata(make({ priority, audience, destination: `dtn://b/${path}` }), keys.publicKey, sign));
        expect(b.extensions.filter((e) => e.kind === 'unknown' && e.type === METADATA_SEAL_BLOCK)).toHaveLength(1);
        expect(sealedMetadata(b, check)).toMatchObject({ priority, audience });
        const fwd = prepareForForward(b, { localNode: 'dtn://carrier/', dwellMs: 5 });
        expect(fwd.ok && sealedMetadata(wire(fwd.bundle), check)).toMatchObject({ priority, audience });
      }),
      { numRuns: 50 },
    );
  });

  it('Scenario: unsealed or altered mesh metadata is not acted on', () => {
    const sealed = wire(sealMetadata(make({ priority: Priority.Low, audience: 'public' }), keys.publicKey, sign));
    const meta = (b: Bundle) => b.extensions.find((e) => e.kind === 'mesh-metadata')!;
    const withMeta = (over: Record<string, unknown>): Bundle => ({ ...sealed, extensions: sealed.extensions.map((e) => (e.kind === 'mesh-metadata' ? { ...e, ...over } : e)) as Bundle['extensions'] });
    expect(sealedMetadata(make({ priority: Priority.Low, audience: 'public' }), check)).toBeUndefined(); // no seal
    // A carrier rewriting any covered field: priority, audience, the block's flags.
    for (const altered of [withMeta({ priority: Priority.Emergency }), withMeta({ audience: 'local' }), withMeta({ flags: BlockFlags.DeleteBundleIfUnprocessable })]) {
      expect(sealedMetadata(wire(altered), check)).toBeUndefined();
    }
    // The seal moved onto another bundle (another sequence number or destination) does not verify.
    const seal = sealed.extensions.find((e) => e.kind === 'unknown' && e.type === METADATA_SEAL_BLOCK)!;
    for (const other of [make({ priority: Priority.Low, audience: 'public', seq: 2 }), make({ priority: Priority.Low, audience: 'public', destination: 'dtn://c/x' })]) {
      expect(sealedMetadata(wire({ ...other, extensions: [...other.extensions, { ...seal, number: 9 }] }), check)).toBeUndefined();
    }
    // Two seals, or a seal whose bytes are not the fixed layout, count as none.
    expect(sealedMetadata({ ...sealed, extensions: [...sealed.extensions, { ...seal, number: 9 }] }, check)).toBeUndefined();
    const cut = { ...seal, data: seal.kind === 'unknown' ? seal.data.slice(0, 100) : hex('') };
    expect(sealedMetadata({ ...sealed, extensions: sealed.extensions.map((e) => (e === seal ? cut : e)) }, check)).toBeUndefined();
    expect(meta(sealed)).toMatchObject({ priority: Priority.Low });
    // Asked for a given sealer (the relay that signed a change-set), another key's seal does not count.
    expect(sealedMetadata(sealed, check, keys.publicKey)).toMatchObject({ priority: Priority.Low });
    expect(sealedMetadata(sealed, check, nacl.sign.keyPair().publicKey)).toBeUndefined();
  });
});
