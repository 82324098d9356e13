import { X509Certificate } from 'node:crypto';
import { caFingerprint, type CaFingerprint } from './ca-fingerprint.ts';
import { constraintsOf } from './community-ca.ts';

/** The community CA as the relay serves it. */
export interface ServedCa {
  der: Buffer;
  pem: string;
  fingerprint: CaFingerprint;
  /** What its name constraints let it vouch for; empty when it has none (it could vouch for any site). */
  names: string[];
  validTo: string;
}

/**
 * The community CA at the end of a PEM chain: a self-signed CA certificate that issued the one before it.
 * Undefined for a single certificate or a public chain (which ends in an intermediate, not a root).
 */
export function communityCaIn(chainPem: string): ServedCa | undefined {
  const blocks = chainPem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  if (blocks.length < 2) return undefined;
  try {
    const certs = blocks.map((b) => new X509Certificate(b));
    const ca = certs[certs.length - 1];
    const issued = certs[certs.length - 2];
    if (!ca.ca || !ca.checkIssued(ca) || !ca.verify(ca.publicKey) || !issued.checkIssued(ca) || !issued.verify(ca.publicKey)) return undefined;
    const limits = constraintsOf(ca);
    const names = [...limits.dns, ...limits.ip.map((i) => i.replace(/\/(32|128)$/, ''))];
    return { der: ca.raw, pem: `${ca.toString().trim()}\n`, fingerprint: caFingerprint(ca), names, validTo: new Date(ca.validTo).toISOString() };
  } catch {
    // The HTTPS server loaded this file already: a certificate (or extension) not read here is no CA to offer.
    return undefined;
  }
}
