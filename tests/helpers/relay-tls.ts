import { createPrivateKey } from 'node:crypto';
import type { Identity } from '../../src/core/crypto/keys.ts';
import { makeNodeCertificate, type TcpclTlsOptions } from '../../relay/dtn/tcpcl/index.ts';

/** PKCS#8 DER prefix of an ed25519 private key before its 32-byte seed (as relay/dtn/tls-material.ts). */
const PKCS8_ED25519 = Buffer.from('302e020100300506032b657004220420', 'hex');

/**
 * The TCPCL TLS material a relay with key `relay` presents as `nodeId`: a certificate for the relay key
 * itself, so a relay whose community names that key (--community-relay) takes the session for one of
 * its community's relays, as it would a real relay's.
 */
export function relayTls(relay: Identity, nodeId: string): TcpclTlsOptions {
  const key = createPrivateKey({ key: Buffer.concat([PKCS8_ED25519, relay.signSecretKey.subarray(0, 32)]), format: 'der', type: 'pkcs8' });
  return { cert: makeNodeCertificate(key, nodeId), key: key.export({ format: 'pem', type: 'pkcs8' }) as string };
}
