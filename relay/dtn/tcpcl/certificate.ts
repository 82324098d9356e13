// A self-signed X.509 certificate naming a TCPCL node (RFC 9174 §4.4.1: Node ID as a URI subject alt name).

import * as asn from '@peculiar/asn1-x509';
import type { KeyObject } from 'node:crypto';
import { buildCertificate, certificatePem, extension } from '../../x509/certificate-builder.ts';
import { isValidNodeId } from './node-id.ts';
import { TcpclError } from './errors.ts';

/** Far enough that no relay outlives it; validity dates are not what peers trust (see tls-upgrade.ts). */
const NOT_AFTER = new Date('9999-12-31T23:59:59Z');

/** Makes a certificate for `nodeId` signed by its own ed25519 key (relay/x509/certificate-builder.ts). */
export function makeNodeCertificate(privateKey: KeyObject, nodeId: string, now = new Date()): string {
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new TcpclError('bad-option', 'node certificates use ed25519 keys');
  if (!isValidNodeId(nodeId)) throw new TcpclError('bad-option', `nodeId must be a URI: ${nodeId}`);
  const san = new asn.SubjectAlternativeName([new asn.GeneralName({ uniformResourceIdentifier: nodeId })]);
  const der = buildCertificate(
    {
      subject: nodeId,
      subjectKey: privateKey,
      // An hour back: a peer whose clock is a little behind still sees it valid.
      notBefore: new Date(now.getTime() - 3600e3),
      notAfter: NOT_AFTER,
      extensions: [extension(asn.id_ce_subjectAltName, false, san)],
    },
    privateKey,
  );
  return certificatePem(der);
}
