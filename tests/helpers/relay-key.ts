import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createIdentity } from '../../src/core/crypto/keys.ts';
import { toBase64Url } from '../../src/core/crypto/encoding.ts';

/**
 * A data dir holding a relay key made in advance, so the relay that founds a community can name this
 * one (--community-relay) before it starts: what an operator does by reading the other relay's
 * /api/info. The caller removes the dir (relay-suite does for relays it starts on it).
 */
export async function presetRelayKey(dataDir?: string): Promise<{ dataDir: string; key: string }> {
  const dir = dataDir ?? (await mkdtemp(path.join(os.tmpdir(), 'spm-relay-')));
  const id = createIdentity();
  await writeFile(path.join(dir, 'relay-key.json'), JSON.stringify({ secretKey: toBase64Url(id.signSecretKey) }), { mode: 0o600 });
  return { dataDir: dir, key: id.agentId };
}
