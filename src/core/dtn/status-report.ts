import { CborReader } from './cbor-reader.ts';
import { encodeItem, int } from './cbor-items.ts';
import { createBundle } from './bundle.ts';
import { NONE_EID, eidToCbor, readEid } from './eid.ts';
import { BundleError } from './errors.ts';
import { unixToDtnMs } from './time.ts';
import { BundleFlags, type Bundle, type PrimaryBlock } from './types.ts';

/**
 * Bundle status reports (RFC 9171 §6.1): administrative records a node sends to a bundle's
 * report-to endpoint when the bundle's flags ask for them. Only "delivered" and "deleted" are made
 * here; reception and forwarding reports are not.
 */

export const ADMIN_RECORD_STATUS_REPORT = 1;

/** Status report reason codes (RFC 9171 §6.1.1). */
export const StatusReason = {
  NoInformation: 0,
  LifetimeExpired: 1,
  ForwardedUnidirectional: 2,
  TransmissionCanceled: 3,
  DepletedStorage: 4,
  DestinationUnavailable: 5,
  NoKnownRoute: 6,
  NoTimelyContact: 7,
  BlockUnintelligible: 8,
  HopLimitExceeded: 9,
  TrafficPared: 10,
  BlockUnsupported: 11,
} as const;

export type StatusAssertion = 'received' | 'forwarded' | 'delivered' | 'deleted';
const ASSERTIONS: readonly StatusAssertion[] = ['received', 'forwarded', 'delivered', 'deleted'];
const REQUEST_FLAG: Record<StatusAssertion, number> = {
  received: BundleFlags.ReceptionReport,
  forwarded: BundleFlags.ForwardingReport,
  delivered: BundleFlags.DeliveryReport,
  deleted: BundleFlags.DeletionReport,
};

export interface StatusReport {
  readonly assertion: StatusAssertion;
  /** DTN time of the event, present when the subject asked for it (status time requested). */
  readonly timeMs?: number;
  readonly reason: number;
  /** The subject bundle's identity. */
  readonly source: string;
  readonly creationTime: number;
  readonly sequence: number;
  readonly fragment?: { readonly offset: number; readonly length: number };
}

/** True when the subject's flags ask for this report and there is somewhere to send it. */
export function reportRequested(p: PrimaryBlock, assertion: StatusAssertion): boolean {
  if (p.flags & BundleFlags.AdminRecord || p.reportTo === NONE_EID || p.source === NONE_EID) return false;
  return (p.flags & REQUEST_FLAG[assertion]) !== 0;
}

/** The administrative record payload: [1, [status info ×4, reason, source, [time, seq], (offset, length)?]]. */
export function encodeStatusReport(r: StatusReport): Uint8Array {
  const info = ASSERTIONS.map((a) => (a !== r.assertion ? [false] : r.timeMs === undefined ? [true] : [true, int(r.timeMs)]));
  const content: unknown[] = [info, int(r.reason), eidToCbor(r.source), [int(r.creationTime), int(r.sequence)]];
  if (r.fragment) content.push(int(r.fragment.offset), int(r.fragment.length));
  return encodeItem([ADMIN_RECORD_STATUS_REPORT, content]);
}

/** Reads a status report payload; throws BundleError for anything else. Only one assertion may be set. */
export function decodeStatusReport(payload: Uint8Array): StatusReport {
  const r = new CborReader(payload);
  const bad = (why: string) => new BundleError('bad-block-data', `status report: ${why}`);
  if (r.readArrayHeader('administrative record') !== 2) throw bad('an administrative record is [type, content]');
  if (r.readUint('record type') !== ADMIN_RECORD_STATUS_REPORT) throw bad('not a status report');
  const items = r.readArrayHeader('status report');
  if (items !== 4 && items !== 6) throw bad(`${items} items, not 4 or 6`);
  if (r.readArrayHeader('status information') !== 4) throw bad('status information must have 4 entries');
  let assertion: StatusAssertion | undefined;
  let timeMs: number | undefined;
  for (const a of ASSERTIONS) {
    const n = r.readArrayHeader(`${a} status`);
    if (n !== 1 && n !== 2) throw bad(`${a} status has ${n} items`);
    const set = readBool(r, a);
    const time = n === 2 ? r.readUint(`${a} time`) : undefined;
    if (!set) continue;
    if (assertion) throw bad('more than one assertion');
    assertion = a;
    timeMs = time;
  }
  if (!assertion) throw bad('no assertion');
  const reason = r.readUint('reason code');
  const source = readEid(r, 'subject source');
  if (r.readArrayHeader('creation timestamp') !== 2) throw bad('creation timestamp must be [time, sequence]');
  const creationTime = r.readUint('creation time');
  const sequence = r.readUint('sequence');
  const fragment = items === 6 ? { offset: r.readUint('fragment offset'), length: r.readUint('payload length') } : undefined;
  if (!r.atEnd()) throw bad('trailing bytes');
  return { assertion, reason, source, creationTime, sequence, ...(timeMs !== undefined ? { timeMs } : {}), ...(fragment ? { fragment } : {}) };
}

function readBool(r: CborReader, what: string): boolean {
  const b = r.peekByte(what);
  if (b !== 0xf4 && b !== 0xf5) throw new BundleError('wrong-type', `${what}: expected true or false`);
  r.pos++;
  return b === 0xf5;
}

export interface StatusReportOptions {
  /** This node's id: the report's source. */
  readonly localNode: string;
  readonly nowUnixMs: number;
  readonly reason: number;
  readonly lifetimeMs: number;
}

/**
 * The report bundle for a subject whose flags ask for it (undefined otherwise): an administrative
 * record to the subject's report-to endpoint, must-not-fragment, itself asking for no reports.
 * `payloadLength` names a fragment subject (RFC 9171 §6.1.1).
 */
export function statusReportFor(subject: PrimaryBlock, assertion: StatusAssertion, opts: StatusReportOptions, payloadLength?: number): Bundle | undefined {
  if (!reportRequested(subject, assertion)) return undefined;
  // A fragment is named by its offset and length; without the length there is no subject to name.
  if (subject.fragment && payloadLength === undefined) return undefined;
  const timeMs = subject.flags & BundleFlags.StatusTimeRequested ? unixToDtnMs(opts.nowUnixMs) : undefined;
  const report: StatusReport = {
    assertion,
    reason: opts.reason,
    source: subject.source,
    creationTime: subject.creationTime,
    sequence: subject.sequence,
    ...(timeMs !== undefined ? { timeMs } : {}),
    ...(subject.fragment && payloadLength !== undefined ? { fragment: { offset: subject.fragment.offset, length: payloadLength } } : {}),
  };
  return createBundle({
    source: opts.localNode,
    destination: subject.reportTo,
    payload: encodeStatusReport(report),
    lifetimeMs: opts.lifetimeMs,
    creationTimeMs: opts.nowUnixMs,
    flags: BundleFlags.AdminRecord | BundleFlags.MustNotFragment,
  });
}
