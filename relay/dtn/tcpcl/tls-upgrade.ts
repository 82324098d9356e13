// The TLS 1.3 upgrade of a TCPCL connection (RFC 9174 §4.4) and who the peer's certificate says it is.

import { AsnConvert } from '@peculiar/asn1-schema';
import { Certificate, id_ce_subjectAltName, SubjectAlternativeName } from '@peculiar/asn1-x509';
import type { Socket } from 'node:net';
import { connect, createSecureContext, TLSSocket, type SecureContext } from 'node:tls';
import { TcpclError } from './errors.ts';
import { isValidNodeId } from './node-id.ts';
import type { TcpclTlsOptions } from './session-options.ts';

/** What the TLS handshake told us about the peer. */
export interface TlsPeer {
  protocol: string;
  /** Node IDs the certificate names as URI subject alt names (RFC 9174 §4.4.1); never empty. */
  nodeIds: string[];
  /** base64url of the raw ed25519 public key, when the certificate's key is one (relay keys are). */
  ed25519Key?: string;
  /** SHA-256 fingerprint of the certificate (colon-separated hex, as node:crypto gives it). */
  fingerprint256: string;
}

function contextOf(tls: TcpclTlsOptions): SecureContext {
  // TLS 1.3 only: RFC 9174 §4.4 requires at least 1.3, and older versions would need their own review.
  tls.context ??= createSecureContext({ cert: tls.cert, key: tls.key, minVersion: 'TLSv1.3' });
  return tls.context;
}

/**
 * Starts TLS on a connection whose contact headers both set CAN_TLS. Both sides present a certificate;
 * neither is checked against a CA (relays' certificates are self-signed): trust comes from the key being
 * in a community's steward-signed relay list, and the Node ID from the certificate, checked after.
 */
export function upgradeToTls(raw: Socket, role: 'active' | 'passive', tls: TcpclTlsOptions): TLSSocket {
  const secureContext = contextOf(tls);
  if (role === 'passive') {
    return new TLSSocket(raw, { isServer: true, secureContext, requestCert: true, rejectUnauthorized: false });
  }
  return connect({ socket: raw, secureContext, minVersion: 'TLSv1.3', rejectUnauthorized: false, checkServerIdentity: () => undefined });
}

/** The peer's identity after the handshake, or why it cannot be a TCPCL peer over TLS. */
export function tlsPeerOf(s: TLSSocket): TlsPeer | TcpclError {
  const protocol = s.getProtocol() ?? 'unknown';
  if (protocol !== 'TLSv1.3') return new TcpclError('tls-failure', `TLS version ${protocol}, 1.3 required`);
  const cert = s.getPeerX509Certificate();
  if (!cert) return new TcpclError('tls-failure', 'peer presented no certificate');
  const nodeIds = nodeIdsIn(cert.raw);
  if (nodeIds.length === 0) return new TcpclError('tls-failure', 'peer certificate names no Node ID (no URI subject alt name)');
  let ed25519Key: string | undefined;
  if (cert.publicKey.asymmetricKeyType === 'ed25519') ed25519Key = cert.publicKey.export({ format: 'jwk' }).x;
  return { protocol, nodeIds, ed25519Key, fingerprint256: cert.fingerprint256 };
}

/**
 * URI subject alt names that are Node IDs, read from the DER (not from node:crypto's subjectAltName
 * string, whose ", "-joined form a crafted name could imitate).
 */
export function nodeIdsIn(der: Uint8Array): string[] {
  try {
    const cert = AsnConvert.parse(der, Certificate);
    const ext = cert.tbsCertificate.extensions?.find((e) => e.extnID === id_ce_subjectAltName);
    if (!ext) return [];
    const names = AsnConvert.parse(ext.extnValue, SubjectAlternativeName);
    return names.map((n) => n.uniformResourceIdentifier).filter((u): u is string => u !== undefined && isValidNodeId(u));
  } catch {
    return [];
  }
}
