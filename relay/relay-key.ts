import { chmod } from 'node:fs/promises';
import path from 'node:path';
import nacl from 'tweetnacl';
import { fromBase64Url, toBase64Url } from '../src/core/crypto/encoding.ts';
import type { StateFiles } from './sealed-data.ts';

/** The relay's own ed25519 identity: it founds communities and signs the change-sets it originates. */
export interface RelayKey {
  /** base64url public key: how communities name this relay in their relays list. */
  publicKey: string;
  secretKey: Uint8Array;
}

export const RELAY_KEY_FILE = 'relay-key.json';

interface StoredKey {
  secretKey?: unknown;
}

/**
 * Reads the key from the data dir, or makes one and keeps it there (owner-only) on first start; in a
 * sealed data dir (relay/sealed-data.ts) it is kept sealed under the data key.
 */
export async function loadRelayKey(dataDir: string, files: StateFiles): Promise<RelayKey> {
  const file = path.join(dataDir, RELAY_KEY_FILE);
  const stored = await files.read<StoredKey>(file, 'key');
  if (stored !== undefined) {
    if (typeof stored.secretKey !== 'string') throw new Error(`${file}: no secretKey`);
    const pair = nacl.sign.keyPair.fromSecretKey(fromBase64Url(stored.secretKey));
    return { publicKey: toBase64Url(pair.publicKey), secretKey: pair.secretKey };
  }
  const pair = nacl.sign.keyPair();
  await files.write(file, 'key', { secretKey: toBase64Url(pair.secretKey) });
  await chmod(file, 0o600);
  return { publicKey: toBase64Url(pair.publicKey), secretKey: pair.secretKey };
}
