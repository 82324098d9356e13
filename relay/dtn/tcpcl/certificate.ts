// A self-signed X.509 certificate naming a TCPCL node (RFC 9174 §4.4.1: Node ID as a URI subject alt name).

import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import * as asn from '@peculiar/asn1-x509';
import { createPublicKey, randomBytes, sign, type KeyObject } from 'node:crypto';
import { isValidNodeId } from './node-id.ts';
import { TcpclError } from './errors.ts';

const ED25519 = '1.3.101.112';
const COMMON_NAME = '2.5.4.3';

/** Far enough that no relay outlives it; validity dates are not what peers trust (see tls-upgrade.ts). */
const NOT_AFTER = new Date('9999-12-31T23:59:59Z');

/**
 * Makes a certificate for `nodeId` signed by its own ed25519 key. Node 20 cannot create certificates,
 * so the DER is built with @peculiar/asn1-x509 and signed with node:crypto.
 */
export function makeNodeCertificate(privateKey: KeyObject, nodeId: string, now = new Date()): string {
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new TcpclError('bad-option', 'node certificates use ed25519 keys');
  if (!isValidNodeId(nodeId)) throw new TcpclError('bad-option', `nodeId must be a URI: ${nodeId}`);
  const algorithm = new asn.AlgorithmIdentifier({ algorithm: ED25519 });
  const name = new asn.Name([
    new asn.RelativeDistinguishedName([new asn.AttributeTypeAndValue({ type: COMMON_NAME, value: new asn.AttributeValue({ utf8String: nodeId.slice(0, 64) }) })]),
  ]);
  const san = new asn.SubjectAlternativeName([new asn.GeneralName({ uniformResourceIdentifier: nodeId })]);
  const serial = randomBytes(16);
  serial[0] = (serial[0] & 0x7f) | 0x01; // positive and 16 bytes long (RFC 5280 §4.1.2.2)
  const spki = createPublicKey(privateKey).export({ format: 'der', type: 'spki' });
  const tbs = new asn.TBSCertificate({
    version: asn.Version.v3,
    serialNumber: arrayBuffer(serial),
    signature: algorithm,
    issuer: name,
    subject: name,
    // An hour back: a peer whose clock is a little behind still sees it valid.
    validity: new asn.Validity({ notBefore: new Date(now.getTime() - 3600e3), notAfter: NOT_AFTER }),
    subjectPublicKeyInfo: AsnConvert.parse(spki, asn.SubjectPublicKeyInfo),
    extensions: new asn.Extensions([
      new asn.Extension({ extnID: asn.id_ce_subjectAltName, critical: false, extnValue: new OctetString(AsnConvert.serialize(san)) }),
    ]),
  });
  const signature = sign(null, Buffer.from(AsnConvert.serialize(tbs)), privateKey);
  const der = Buffer.from(AsnConvert.serialize(new asn.Certificate({ tbsCertificate: tbs, signatureAlgorithm: algorithm, signatureValue: arrayBuffer(signature) })));
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`;
}

function arrayBuffer(b: Uint8Array): ArrayBuffer {
  return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
}
