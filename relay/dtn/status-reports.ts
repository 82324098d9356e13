import { bundleId, statusReportFor, type Bundle, type PrimaryBlock, type StatusAssertion } from '../../src/core/dtn/index.ts';
import type { Logger } from '../log.ts';

/** Reports live a day: long enough to cross a few contacts, short enough not to clog stores. */
const REPORT_LIFETIME_MS = 24 * 3600e3;

/**
 * Sends the RFC 9171 §6.1 status reports a bundle's flags ask for (received, forwarded, delivered, deleted)
 * to its report-to endpoint, as administrative records this node takes custody of and carries like
 * any bundle. Nothing is sent for bundles that did not ask (the mesh's own bundles never do).
 */
export class StatusReporter {
  constructor(
    private readonly nodeId: string,
    private readonly carry: (report: Bundle) => Promise<unknown>,
    private readonly log: Logger,
  ) {}

  report(subject: PrimaryBlock, assertion: StatusAssertion, reason: number, payloadLength?: number): void {
    let report: Bundle | undefined;
    try {
      report = statusReportFor(subject, assertion, { localNode: this.nodeId, nowUnixMs: Date.now(), reason, lifetimeMs: REPORT_LIFETIME_MS }, payloadLength);
    } catch (err) {
      // A report-to endpoint the encoder refuses: the subject was odd, the report is skipped.
      return this.log.debug({ err: String(err) }, 'status report not made');
    }
    if (!report) return;
    const about = `${subject.source} ${subject.creationTime} ${subject.sequence}`;
    void this.carry(report).then(
      () => this.log.info({ about, assertion, reason, to: subject.reportTo, id: bundleId(report) }, 'status report sent'),
      (err) => this.log.warn({ about, assertion, err: String(err) }, 'status report not stored'),
    );
  }
}
