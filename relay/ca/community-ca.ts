// A community certificate authority made by the relay, and the relay certificates it signs (issue 21).

import { AsnConvert } from '@peculiar/asn1-schema';
import * as asn from '@peculiar/asn1-x509';
import { createPrivateKey, createPublicKey, generateKeyPairSync, X509Certificate, type KeyObject } from 'node:crypto';
import { isIP } from 'node:net';
import { buildCertificate, certificatePem, extension, keyIdentifier } from '../x509/certificate-builder.ts';

const DAY_MS = 86_400_000;
/** The CA outlives the hardware it runs on; what limits a stolen key is the name constraint, not time. */
export const CA_VALIDITY_DAYS = 20 * 365;
/** Apple refuses TLS server certificates valid for more than 398 days; 397 keeps clear of the edge. */
export const RELAY_VALIDITY_DAYS = 397;
/** Certificates start a day back: a node without a battery clock, or a phone a little behind, still accepts them. */
const BACKDATE_MS = DAY_MS;

export class CaError extends Error {
  override name = 'CaError';
}

/** What a community's certificates name: its host name, and the access point's fixed address if phones use it. */
export interface CommunityNames {
  /** A DNS name such as mesh.lan (lower case). */
  name: string;
  ip?: string;
}

export interface PemPair {
  certPem: string;
  keyPem: string;
}

/** Lower-case DNS labels of letters, digits and dashes: what browsers match a certificate against. */
export function checkDnsName(v: string): string {
  const name = v.trim().toLowerCase();
  const label = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
  if (name.length === 0 || name.length > 253 || !name.split('.').every((l) => label.test(l)) || isIP(name)) {
    throw new CaError(`not a host name: ${v.slice(0, 80)} (expected a name such as mesh.lan)`);
  }
  return name;
}

export function checkIp(v: string): string {
  const ip = v.trim();
  if (!isIP(ip)) throw new CaError(`not an IP address: ${v.slice(0, 80)}`);
  // One spelling of an IPv6 address (compressed, lower case), so the CA's constraint and a relay's match.
  return isIP(ip) === 6 ? new URL(`http://[${ip}]/`).hostname.slice(1, -1) : ip;
}

/**
 * A CA (EC P-256) for one community name. Its name constraints let it sign only for that name (and its
 * subdomains) and the access point's address: a stolen CA key cannot impersonate any other site to a
 * phone whose browser enforces them. Without an address, it may sign for no IP address at all.
 */
export function makeCommunityCa(names: CommunityNames, now = new Date()): PemPair {
  const name = checkDnsName(names.name);
  const ip = names.ip === undefined ? undefined : checkIp(names.ip);
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const subtree = (base: asn.GeneralName) => new asn.GeneralSubtree({ base });
  const constraints = new asn.NameConstraints({
    permittedSubtrees: new asn.GeneralSubtrees([
      subtree(new asn.GeneralName({ dNSName: name })),
      ...(ip ? [subtree(new asn.GeneralName({ iPAddress: `${ip}/${isIP(ip) === 4 ? 32 : 128}` }))] : []),
    ]),
    ...(ip ? {} : { excludedSubtrees: new asn.GeneralSubtrees([subtree(new asn.GeneralName({ iPAddress: '0.0.0.0/0' })), subtree(new asn.GeneralName({ iPAddress: '::/0' }))]) }),
  });
  const notBefore = new Date(now.getTime() - BACKDATE_MS);
  const der = buildCertificate(
    {
      subject: `Solarpunk Mesh community CA ${name}`,
      subjectKey: publicKey,
      notBefore,
      notAfter: new Date(notBefore.getTime() + CA_VALIDITY_DAYS * DAY_MS),
      extensions: [
        // pathLen 0: the CA signs relays, never another CA.
        extension(asn.id_ce_basicConstraints, true, new asn.BasicConstraints({ cA: true, pathLenConstraint: 0 })),
        extension(asn.id_ce_keyUsage, true, new asn.KeyUsage(asn.KeyUsageFlags.keyCertSign | asn.KeyUsageFlags.cRLSign)),
        extension(asn.id_ce_subjectKeyIdentifier, false, new asn.SubjectKeyIdentifier(keyIdentifier(publicKey))),
        // Critical, as RFC 5280 §4.2.1.10 asks: a client that cannot read it must refuse the CA.
        extension(asn.id_ce_nameConstraints, true, constraints),
      ],
    },
    privateKey,
  );
  return { certPem: certificatePem(der), keyPem: privateKey.export({ format: 'pem', type: 'pkcs8' }) as string };
}

/**
 * A relay's TLS certificate (EC P-256, serverAuth, the names as subjectAltName, 397 days) signed by the
 * community CA; `chainPem` is the relay certificate then the CA, what the relay's --tls-cert serves.
 */
export function issueRelayCertificate(ca: PemPair, names: CommunityNames, now = new Date()): PemPair & { chainPem: string } {
  const name = checkDnsName(names.name);
  const ip = names.ip === undefined ? undefined : checkIp(names.ip);
  const caCert = readCaCertificate(ca.certPem);
  const caKey = readCaKey(ca.keyPem, caCert);
  const outside = namesOutside(caCert, name, ip);
  if (outside.length > 0) throw new CaError(`this CA may not sign for ${outside.join(', ')}: it is limited to ${describeConstraints(caCert)}`);
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const notBefore = new Date(now.getTime() - BACKDATE_MS);
  const san = new asn.SubjectAlternativeName([new asn.GeneralName({ dNSName: name }), ...(ip ? [new asn.GeneralName({ iPAddress: ip })] : [])]);
  const der = buildCertificate(
    {
      subject: name,
      issuer: caCert.subject.replace(/^CN=/, ''),
      subjectKey: publicKey,
      notBefore,
      notAfter: new Date(notBefore.getTime() + RELAY_VALIDITY_DAYS * DAY_MS),
      extensions: [
        extension(asn.id_ce_basicConstraints, true, new asn.BasicConstraints({ cA: false })),
        extension(asn.id_ce_keyUsage, true, new asn.KeyUsage(asn.KeyUsageFlags.digitalSignature)),
        extension(asn.id_ce_extKeyUsage, false, new asn.ExtendedKeyUsage([asn.id_kp_serverAuth])),
        extension(asn.id_ce_subjectAltName, false, san),
        extension(asn.id_ce_subjectKeyIdentifier, false, new asn.SubjectKeyIdentifier(keyIdentifier(publicKey))),
        extension(asn.id_ce_authorityKeyIdentifier, false, new asn.AuthorityKeyIdentifier({ keyIdentifier: new asn.KeyIdentifier(keyIdentifier(caKey)) })),
      ],
    },
    caKey,
  );
  const certPem = certificatePem(der);
  // What a phone will check, checked here first: a certificate that does not chain is never written.
  const leaf = new X509Certificate(certPem);
  if (!leaf.checkIssued(caCert) || !leaf.verify(caCert.publicKey)) throw new CaError('the new certificate does not verify with the CA (is the CA key the one of this CA certificate?)');
  return { certPem, keyPem: privateKey.export({ format: 'pem', type: 'pkcs8' }) as string, chainPem: certPem + caCert.toString() };
}

function readCaCertificate(pem: string): X509Certificate {
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(pem);
  } catch {
    throw new CaError('the CA certificate file is not a PEM certificate');
  }
  if (!cert.ca) throw new CaError('the CA certificate file holds a certificate that is not a CA');
  return cert;
}

function readCaKey(pem: string, cert: X509Certificate): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch {
    throw new CaError('the CA key file is not a PEM private key');
  }
  const spki = (k: KeyObject) => k.export({ format: 'der', type: 'spki' });
  if (!spki(createPublicKey(key)).equals(spki(cert.publicKey))) throw new CaError('the CA key file does not belong to the CA certificate beside it');
  return key;
}

interface Constraints {
  dns: string[];
  ip: string[];
  excludesAllIp: boolean;
}

/** The CA's name constraints as the issue command checks them (empty lists: no constraint of that kind). */
export function constraintsOf(cert: X509Certificate): Constraints {
  const parsed = AsnConvert.parse(cert.raw, asn.Certificate);
  const ext = parsed.tbsCertificate.extensions?.find((e) => e.extnID === asn.id_ce_nameConstraints);
  if (!ext) return { dns: [], ip: [], excludesAllIp: false };
  const nc = AsnConvert.parse(ext.extnValue.buffer, asn.NameConstraints);
  const permitted = nc.permittedSubtrees ?? [];
  return {
    dns: permitted.flatMap((s) => (s.base.dNSName ? [s.base.dNSName.toLowerCase()] : [])),
    ip: permitted.flatMap((s) => (s.base.iPAddress ? [s.base.iPAddress] : [])),
    excludesAllIp: (nc.excludedSubtrees ?? []).some((s) => s.base.iPAddress === '0.0.0.0/0'),
  };
}

function namesOutside(ca: X509Certificate, name: string, ip: string | undefined): string[] {
  const c = constraintsOf(ca);
  const out: string[] = [];
  if (c.dns.length > 0 && !c.dns.some((d) => name === d || name.endsWith(`.${d}`))) out.push(name);
  if (ip !== undefined && (c.excludesAllIp || (c.ip.length > 0 && !c.ip.includes(`${ip}/${isIP(ip) === 4 ? 32 : 128}`)))) out.push(ip);
  return out;
}

function describeConstraints(ca: X509Certificate): string {
  const c = constraintsOf(ca);
  const parts = [...c.dns.map((d) => `${d} (and names under it)`), ...c.ip.map((i) => i.replace(/\/(32|128)$/, ''))];
  return `${parts.join(', ') || 'any name'}${c.excludesAllIp ? ', no IP address' : ''}`;
}
