import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import writeFileAtomic from 'write-file-atomic';
import path from 'node:path';
import type { Logger } from '../log.ts';
import type { RelayKey } from '../relay-key.ts';
import { makeNodeCertificate, nodeIdsIn, type TcpclTlsOptions } from './tcpcl/index.ts';

export const TCPCL_CERT_FILE = 'tcpcl-cert.pem';

/** PKCS#8 DER prefix of an ed25519 private key (RFC 8410) before the 32-byte seed. */
const PKCS8_ED25519 = Buffer.from('302e020100300506032b657004220420', 'hex');

/**
 * The relay's TCPCL TLS material. The certificate's key is the relay key itself (ed25519, which TLS 1.3
 * signs with), so a peer is authenticated by the same steward-signed relays list that names the relays
 * whose change-sets a community applies: no second list of fingerprints to keep in step. The key's other
 * signatures (change-sets, community records) start with their own context strings, and TLS 1.3 signs
 * 64 spaces and its own context first (RFC 8446 §4.4.3), so one can never pass for the other.
 *
 * The certificate is made at first start and kept in the data dir (owner-only); it is made again when
 * the node name or the key no longer match it.
 */
export async function loadTcpclTls(dataDir: string, relayKey: RelayKey, nodeId: string, log: Logger): Promise<TcpclTlsOptions> {
  const key = createPrivateKey({ key: Buffer.concat([PKCS8_ED25519, relayKey.secretKey.subarray(0, 32)]), format: 'der', type: 'pkcs8' });
  const keyPem = key.export({ format: 'pem', type: 'pkcs8' }) as string;
  const file = path.join(dataDir, TCPCL_CERT_FILE);
  const stored = await readFile(file, 'utf8').catch(() => undefined);
  const problem = stored === undefined ? 'none yet' : certificateProblem(stored, relayKey.publicKey, nodeId);
  if (stored !== undefined && problem === undefined) return { cert: stored, key: keyPem };
  const cert = makeNodeCertificate(key, nodeId);
  await writePrivate(file, cert);
  log.info({ file, nodeId, why: problem }, 'TCPCL TLS certificate made');
  return { cert, key: keyPem };
}

/** Why a stored certificate is not this relay's for `nodeId`, or undefined. */
function certificateProblem(pem: string, publicKey: string, nodeId: string): string | undefined {
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(pem);
  } catch {
    return 'unreadable';
  }
  if (!isKey(cert.publicKey, publicKey)) return 'another key';
  if (!nodeIdsIn(cert.raw).includes(nodeId)) return 'another node ID';
  return undefined;
}

function isKey(k: KeyObject, publicKey: string): boolean {
  return k.asymmetricKeyType === 'ed25519' && k.export({ format: 'jwk' }).x === publicKey;
}

/** Written whole (temp + fsync + rename, see writeJsonAtomic) and readable by the owner only. */
async function writePrivate(file: string, text: string): Promise<void> {
  await writeFileAtomic(file, text, { mode: 0o600 });
}
