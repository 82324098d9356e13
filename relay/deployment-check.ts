import { readFile } from 'node:fs/promises';
import { communityCaIn } from './ca/chain-ca.ts';
import { checkCertificate, RENEW_COMMUNITY_CA, type CertificateReport } from './certificate-check.ts';
import type { Logger } from './log.ts';
import { checkOrigin, type OriginReport } from './origin-check.ts';

const DAY_MS = 86_400_000;

/**
 * What an operator must know about how phones reach this relay: the origin they open (the same on every
 * island, or phones start from nothing when they move), whether it is a secure context, and when the HTTPS
 * certificate runs out. Said in the log at start and once a day, and in /api/status as `deployment`.
 */
export class DeploymentCheck {
  private pem?: string;
  /** How to get a new certificate, said in expiry warnings (checkCertificate's default: a public CA). */
  private renew?: string;
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly origin: string,
    private readonly tlsCert: string | undefined,
    /** Served communities and the origin their signed settings name, read when asked (settings change). */
    private readonly communities: () => Array<{ id: string; origin?: string }>,
    private readonly log: Logger,
  ) {}

  async start(): Promise<void> {
    if (this.tlsCert) this.pem = await readFile(this.tlsCert, 'utf8');
    // A certificate the relay's own CA signed is renewed with `ca issue`, not by a public CA.
    if (this.pem && communityCaIn(this.pem)) this.renew = RENEW_COMMUNITY_CA;
    const report = this.status();
    this.log.info({ origin: report.origin.origin, secure: report.origin.secure, certificate: report.certificate?.validTo }, 'phones open this origin');
    this.warn(report);
    // A certificate runs out while the relay runs for months: say so again every day, not only at start.
    this.timer = setInterval(() => this.warn(this.status()), DAY_MS);
    this.timer.unref();
  }

  status(): { origin: OriginReport; certificate?: CertificateReport } {
    const origin = checkOrigin(this.origin, this.communities(), Boolean(this.tlsCert));
    if (!this.pem) return { origin };
    let certificate: CertificateReport | undefined;
    try {
      certificate = checkCertificate(this.pem, Date.now(), new URL(this.origin).hostname.replace(/^\[|\]$/g, ''), this.renew);
    } catch (err) {
      // The HTTPS server already loaded this file; a parser that disagrees is reported, not fatal.
      origin.warnings.push(`the HTTPS certificate could not be read: ${String(err)}`);
    }
    return { origin, certificate };
  }

  private warn(report: { origin: OriginReport; certificate?: CertificateReport }): void {
    for (const w of [...report.origin.warnings, ...(report.certificate?.warnings ?? [])]) this.log.warn({ origin: report.origin.origin }, w);
  }

  close(): void {
    clearInterval(this.timer);
  }
}
