import fc from 'fast-check';
import { securityTargets } from '../../../src/core/dtn/bib.ts';
import {
  Audience,
  BlockFlags,
  BlockType,
  BundleFlags,
  type Bundle,
  type CrcType,
  type ExtensionBlock,
  type Priority,
  type PrimaryBlock,
} from '../../../src/core/dtn/index.ts';

/** Generators of valid bundles, shared by the round-trip and fuzz tests. */

const REG_NAME_CHARS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~!$&\'()*+,;=';
const regNameChar = fc.oneof(
  { weight: 9, arbitrary: fc.constantFrom(...REG_NAME_CHARS.split('')) },
  { weight: 1, arbitrary: fc.tuple(fc.integer({ min: 0, max: 255 })).map(([n]) => `%${n.toString(16).padStart(2, '0')}`) },
);
const nodeName = fc.array(regNameChar, { minLength: 1, maxLength: 12 }).map((cs) => cs.join(''));
const demux = fc.string({ unit: fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 16 });

export const dtnEidArb = fc.tuple(nodeName, demux).map(([n, d]) => `dtn://${n}/${d}`);
export const ipnEidArb = fc.tuple(fc.maxSafeNat(), fc.maxSafeNat()).map(([n, s]) => `ipn:${n}.${s}`);
export const eidArb = fc.oneof(fc.constant('dtn:none'), dtnEidArb, ipnEidArb);
export const nodeEidArb = fc.oneof(dtnEidArb, ipnEidArb);

export const crcTypeArb: fc.Arbitrary<CrcType> = fc.constantFrom(0, 1, 2);
const priorityArb: fc.Arbitrary<Priority> = fc.constantFrom(0, 1, 2, 3);
const audienceArb = fc.constantFrom(...Object.values(Audience));
/** Block flags that keep an unknown block (no delete/discard bits). */
const keptFlagsArb = fc.integer({ min: 0, max: 0xff }).map((f) => f & ~0x14);
const unknownTypeArb = fc.oneof(
  fc.constant(BlockType.BlockIntegrity),
  fc.integer({ min: 2, max: 5 }),
  fc.integer({ min: 8, max: 9 }),
  fc.integer({ min: 11, max: 191 }),
  fc.integer({ min: 193, max: 100_000 }),
);

type Kind = ExtensionBlock['kind'];
const header = { number: fc.constant(0), flags: keptFlagsArb, crcType: crcTypeArb };

const blockArbs: Record<Kind, fc.Arbitrary<ExtensionBlock>> = {
  'previous-node': fc.record({ kind: fc.constant('previous-node' as const), ...header, node: nodeEidArb }),
  'bundle-age': fc.record({ kind: fc.constant('bundle-age' as const), ...header, ageMs: fc.maxSafeNat() }),
  'hop-count': fc.record({
    kind: fc.constant('hop-count' as const),
    ...header,
    limit: fc.integer({ min: 1, max: 255 }),
    count: fc.integer({ min: 0, max: 300 }),
  }),
  'mesh-metadata': fc.record({ kind: fc.constant('mesh-metadata' as const), ...header, priority: priorityArb, audience: audienceArb }),
  unknown: fc.record({
    kind: fc.constant('unknown' as const),
    ...header,
    type: unknownTypeArb,
    // Sometimes an abstract security block targeting blocks 0 and 1, which lets the primary go without a CRC.
    data: fc.oneof(fc.uint8Array({ maxLength: 40 }), fc.uint8Array({ maxLength: 20 }).map((d) => Uint8Array.from([0x82, 0x00, 0x01, ...d]))),
  }),
};

const extensionsArb = fc
  .tuple(
    fc.subarray(['previous-node', 'bundle-age', 'hop-count', 'mesh-metadata'] as Kind[]),
    fc.integer({ min: 0, max: 3 }),
    fc.uniqueArray(fc.integer({ min: 2, max: 5000 }), { minLength: 8, maxLength: 8 }),
  )
  .chain(([kinds, unknowns, numbers]) =>
    fc
      .tuple(...[...kinds, ...Array<Kind>(unknowns).fill('unknown')].map((k) => blockArbs[k]))
      .chain((blocks) => fc.shuffledSubarray(blocks, { minLength: blocks.length }))
      .map((blocks) => blocks.map((b, i) => ({ ...b, number: numbers[i] }) as ExtensionBlock)),
  );

const FLAG_BITS = Object.values(BundleFlags).filter((f) => f !== BundleFlags.IsFragment);

const primaryInputArb = fc.record({
  flagBits: fc.subarray(FLAG_BITS),
  crcType: crcTypeArb,
  destination: eidArb,
  source: eidArb,
  reportTo: eidArb,
  creationTime: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 2 ** 42 }), fc.maxSafeNat()),
  sequence: fc.oneof(fc.nat(10), fc.maxSafeNat()),
  lifetimeMs: fc.maxSafeNat(),
  fragment: fc.option(fc.record({ offset: fc.nat(10_000), extra: fc.nat(10_000) }), { nil: undefined }),
});

/** Any valid bundle: generated freely, then the few cross-field rules of RFC 9171 applied. */
export const bundleArb: fc.Arbitrary<Bundle> = fc
  .record({
    primary: primaryInputArb,
    extensions: extensionsArb,
    payload: fc.record({ flags: keptFlagsArb, crcType: crcTypeArb, data: fc.uint8Array({ maxLength: 64 }) }),
  })
  .map(({ primary: p, extensions: ext, payload: pay }) => {
    const hasBib = ext.some((e) => e.kind === 'unknown' && e.type === BlockType.BlockIntegrity && securityTargets(e.data)?.includes(0));
    let flags = p.flagBits.reduce((a, b) => a | b, 0);
    if (p.fragment) flags = (flags | BundleFlags.IsFragment) & ~BundleFlags.MustNotFragment;
    const anonymous = p.source === 'dtn:none';
    const noReports = anonymous || (flags & BundleFlags.AdminRecord) !== 0;
    if (noReports) flags &= ~(BundleFlags.ReceptionReport | BundleFlags.ForwardingReport | BundleFlags.DeliveryReport | BundleFlags.DeletionReport);
    // RFC 9171 §4.2.4: nor may any of their blocks ask for a report when unprocessable.
    const quiet = <T extends { flags: number }>(blk: T): T => (noReports ? { ...blk, flags: blk.flags & ~BlockFlags.ReportIfUnprocessable } : blk);
    const extensions = ext.map(quiet);
    const payload = quiet(pay);
    const fragment = p.fragment && !anonymous
      ? { offset: p.fragment.offset, totalAduLength: p.fragment.offset + payload.data.length + p.fragment.extra + 1 }
      : undefined;
    if (anonymous) flags = (flags | BundleFlags.MustNotFragment) & ~BundleFlags.IsFragment;
    const primary: PrimaryBlock = {
      flags,
      crcType: p.crcType === 0 && !hasBib ? 2 : p.crcType,
      destination: p.destination,
      source: p.source,
      reportTo: p.reportTo,
      creationTime: p.creationTime,
      sequence: p.sequence,
      lifetimeMs: p.lifetimeMs,
      ...(fragment ? { fragment } : {}),
    };
    const needsAge = p.creationTime === 0 && !extensions.some((e) => e.kind === 'bundle-age');
    const age: ExtensionBlock = { kind: 'bundle-age', number: 5001, flags: 0, crcType: 0, ageMs: 7 };
    return { primary, extensions: needsAge ? [...extensions, age] : extensions, payload };
  });
