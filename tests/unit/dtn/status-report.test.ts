import { encode as encodeCbor } from 'cbor2';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  BundleFlags,
  StatusReason,
  createBundle,
  decodeBundleOrThrow,
  decodeStatusReport,
  encodeBundle,
  encodeStatusReport,
  statusReportFor,
  type StatusReport,
} from '../../../src/core/dtn/index.ts';
import { nodeEidArb } from './arbitraries.ts';

const reportArb: fc.Arbitrary<StatusReport> = fc.record(
  {
    assertion: fc.constantFrom('received' as const, 'forwarded' as const, 'delivered' as const, 'deleted' as const),
    timeMs: fc.maxSafeNat(),
    reason: fc.integer({ min: 0, max: 255 }),
    source: nodeEidArb,
    creationTime: fc.maxSafeNat(),
    sequence: fc.maxSafeNat(),
    fragment: fc.record({ offset: fc.maxSafeNat(), length: fc.maxSafeNat() }),
  },
  { requiredKeys: ['assertion', 'reason', 'source', 'creationTime', 'sequence'] },
);

const subject = (flags: number, reportTo = 'dtn://reports/') =>
  createBundle({ source: 'dtn://app/', destination: 'dtn://relay-a/svc', reportTo, payload: new Uint8Array([1, 2, 3]), lifetimeMs: 60_000, flags, creationTimeMs: Date.UTC(2026, 0, 1), sequence: 4 }).primary;

describe('dtn status reports (RFC 9171 §6.1)', () => {
  it('Scenario: status reports round-trip', () => {
    fc.assert(
      fc.property(reportArb, (r) => {
        expect(decodeStatusReport(encodeStatusReport(r))).toEqual(r);
      }),
    );
    // Hand-built: deleted, lifetime expired, no time, subject dtn://a/ [1000, 2].
    const bytes = encodeCbor([1, [[[false], [false], [false], [true]], 1, [1, '//a/'], [1000, 2]]]);
    expect(decodeStatusReport(bytes)).toEqual({ assertion: 'deleted', reason: 1, source: 'dtn://a/', creationTime: 1000, sequence: 2 });
    expect(() => decodeStatusReport(encodeCbor([1, [[[true], [false], [false], [true]], 1, [1, '//a/'], [1000, 2]]]))).toThrowError(/more than one/);
    expect(() => decodeStatusReport(encodeCbor([2, []]))).toThrowError(/not a status report/);
  });

  it('Scenario: a report is made only when the subject asks for it', () => {
    const opts = { localNode: 'dtn://relay-a/', nowUnixMs: Date.UTC(2026, 0, 2), reason: StatusReason.LifetimeExpired, lifetimeMs: 3600e3 };
    expect(statusReportFor(subject(0), 'deleted', opts)).toBeUndefined();
    expect(statusReportFor(subject(BundleFlags.DeliveryReport), 'deleted', opts)).toBeUndefined();
    expect(statusReportFor(subject(BundleFlags.DeletionReport, 'dtn:none'), 'deleted', opts)).toBeUndefined();
    const report = statusReportFor(subject(BundleFlags.DeletionReport | BundleFlags.StatusTimeRequested), 'deleted', opts)!;
    const back = decodeBundleOrThrow(encodeBundle(report));
    expect(back.primary).toMatchObject({ source: 'dtn://relay-a/', destination: 'dtn://reports/' });
    expect(back.primary.flags & (BundleFlags.AdminRecord | BundleFlags.MustNotFragment)).toBe(BundleFlags.AdminRecord | BundleFlags.MustNotFragment);
    expect(decodeStatusReport(back.payload.data)).toMatchObject({ assertion: 'deleted', reason: 1, source: 'dtn://app/', sequence: 4, timeMs: Date.UTC(2026, 0, 2) - Date.UTC(2000, 0, 1) });
    // Never a report about a report.
    expect(statusReportFor(back.primary, 'deleted', opts)).toBeUndefined();
  });
});
