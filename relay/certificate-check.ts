import { X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';

/** How long before expiry the relay starts warning: enough for a steward to carry a new certificate round. */
export const EXPIRY_WARNING_DAYS = 30;

export interface CertificateReport {
  subject: string;
  /** DNS names and IP addresses the certificate is valid for. */
  names: string[];
  validTo: string;
  daysLeft: number;
  state: 'ok' | 'expiring' | 'expired' | 'not-yet-valid';
  /** Whether the certificate names the host phones open (null when no host was given). */
  coversHost: boolean | null;
  warnings: string[];
}

/** How an operator gets a new certificate: from a public CA while online, unless the relay's own CA made it. */
const RENEW_PUBLIC = 'get a new one while a node has internet';
export const RENEW_COMMUNITY_CA = 'make a new one with "solarpunk-relay ca issue --out <new folder>" on the node that keeps the community CA (docs/DEPLOY.md §4b)';

/**
 * What the relay's HTTPS certificate (the first of the PEM chain) says about itself, read with Node's own
 * X.509 parser. `renew` is how to get a new one, said in the expiry warnings.
 */
export function checkCertificate(pem: string | Buffer, now: number, host?: string, renew = RENEW_PUBLIC): CertificateReport {
  const cert = new X509Certificate(pem);
  const names = (cert.subjectAltName ?? '')
    .split(/,\s*/)
    .map((n) => /^(?:DNS|IP Address):(.+)$/.exec(n.trim())?.[1])
    .filter((n): n is string => Boolean(n));
  const validTo = Date.parse(cert.validTo);
  const validFrom = Date.parse(cert.validFrom);
  const daysLeft = Math.floor((validTo - now) / 86_400_000);
  const state = now < validFrom ? 'not-yet-valid' : now >= validTo ? 'expired' : daysLeft < EXPIRY_WARNING_DAYS ? 'expiring' : 'ok';
  const coversHost = host === undefined ? null : (isIP(host) ? cert.checkIP(host) : cert.checkHost(host)) !== undefined;
  const warnings: string[] = [];
  if (state === 'expired') warnings.push(`the HTTPS certificate expired on ${new Date(validTo).toISOString().slice(0, 10)}: phones will refuse this relay; ${renew}`);
  if (state === 'expiring') warnings.push(`the HTTPS certificate expires in ${daysLeft} days (${new Date(validTo).toISOString().slice(0, 10)}): ${renew}`);
  if (state === 'not-yet-valid') warnings.push(`the HTTPS certificate is not valid before ${new Date(validFrom).toISOString()}: is this node's clock right?`);
  if (coversHost === false) warnings.push(`the HTTPS certificate does not name ${host} (it names ${names.join(', ') || 'nothing'}): phones will refuse it`);
  return { subject: cert.subject, names, validTo: new Date(validTo).toISOString(), daysLeft, state, coversHost, warnings };
}
