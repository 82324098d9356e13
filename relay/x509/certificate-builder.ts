// The one X.509 certificate builder of the relay: TCPCL node certificates and the community CA use it.

import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import * as asn from '@peculiar/asn1-x509';
import { createHash, createPublicKey, randomBytes, sign, type KeyObject } from 'node:crypto';

const ED25519 = '1.3.101.112';
const ECDSA_WITH_SHA256 = '1.2.840.10045.4.3.2';
const COMMON_NAME = '2.5.4.3';

export class CertificateBuildError extends Error {
  override name = 'CertificateBuildError';
}

export interface CertificateFields {
  /** The subject's common name (also the issuer's for a self-signed certificate). */
  subject: string;
  /** The issuer's common name; the subject's when absent (self-signed). */
  issuer?: string;
  /** The key the certificate names. */
  subjectKey: KeyObject;
  notBefore: Date;
  notAfter: Date;
  extensions: asn.Extension[];
}

/**
 * A DER certificate signed by `issuerKey` (ed25519, or ECDSA P-256 with SHA-256). Node 20 can read X.509
 * but not make it, so the structure is built with @peculiar/asn1-x509 and signed with node:crypto.
 */
export function buildCertificate(fields: CertificateFields, issuerKey: KeyObject): Buffer {
  const algorithm = signatureAlgorithm(issuerKey);
  const serial = randomBytes(16);
  serial[0] = (serial[0] & 0x7f) | 0x01; // positive and 16 bytes long (RFC 5280 §4.1.2.2)
  const tbs = new asn.TBSCertificate({
    version: asn.Version.v3,
    serialNumber: arrayBuffer(serial),
    signature: algorithm,
    issuer: nameOf(fields.issuer ?? fields.subject),
    subject: nameOf(fields.subject),
    validity: new asn.Validity({ notBefore: fields.notBefore, notAfter: fields.notAfter }),
    subjectPublicKeyInfo: AsnConvert.parse(spkiOf(fields.subjectKey), asn.SubjectPublicKeyInfo),
    extensions: new asn.Extensions(fields.extensions),
  });
  const toSign = Buffer.from(AsnConvert.serialize(tbs));
  // X.509 wants an ECDSA signature as a DER SEQUENCE of r and s (node's default encoding).
  const signature = issuerKey.asymmetricKeyType === 'ed25519' ? sign(null, toSign, issuerKey) : sign('sha256', toSign, { key: issuerKey, dsaEncoding: 'der' });
  return Buffer.from(AsnConvert.serialize(new asn.Certificate({ tbsCertificate: tbs, signatureAlgorithm: algorithm, signatureValue: arrayBuffer(signature) })));
}

/** One certificate extension; its value is any @peculiar/asn1-x509 structure. */
export function extension(extnID: string, critical: boolean, value: object): asn.Extension {
  return new asn.Extension({ extnID, critical, extnValue: new OctetString(AsnConvert.serialize(value)) });
}

/** RFC 5280 §4.2.1.2 method 1: the SHA-1 of the public key's bits, how issuers and subjects find each other. */
export function keyIdentifier(key: KeyObject): ArrayBuffer {
  const spki = AsnConvert.parse(spkiOf(key), asn.SubjectPublicKeyInfo);
  return arrayBuffer(createHash('sha1').update(new Uint8Array(spki.subjectPublicKey)).digest());
}

export function certificatePem(der: Uint8Array): string {
  const lines = Buffer.from(der).toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`;
}

function signatureAlgorithm(key: KeyObject): asn.AlgorithmIdentifier {
  if (key.type !== 'private') throw new CertificateBuildError('a certificate is signed with a private key');
  if (key.asymmetricKeyType === 'ed25519') return new asn.AlgorithmIdentifier({ algorithm: ED25519 });
  if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1') return new asn.AlgorithmIdentifier({ algorithm: ECDSA_WITH_SHA256 });
  throw new CertificateBuildError(`cannot sign with a ${key.asymmetricKeyType ?? 'unknown'} key (ed25519 or EC P-256 only)`);
}

function nameOf(commonName: string): asn.Name {
  return new asn.Name([
    new asn.RelativeDistinguishedName([new asn.AttributeTypeAndValue({ type: COMMON_NAME, value: new asn.AttributeValue({ utf8String: commonName.slice(0, 64) }) })]),
  ]);
}

function spkiOf(key: KeyObject): Buffer {
  return (key.type === 'private' ? createPublicKey(key) : key).export({ format: 'der', type: 'spki' });
}

function arrayBuffer(b: Uint8Array): ArrayBuffer {
  return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
}
