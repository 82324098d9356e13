import * as Automerge from '@automerge/automerge';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CARRIED_FILE } from '../../relay/carry-service.ts';
import { createIdentity } from '../../src/core/crypto/keys.ts';
import { signBytes } from '../../src/core/crypto/sign.ts';
import { createBundle, encodeBundle } from '../../src/core/dtn/index.ts';
import { sealMetadata } from '../../src/core/dtn/metadata-integrity.ts';
import { AUTH_HEADER, signRequest } from '../../src/core/protocol/auth.ts';
import { encodeHandIn } from '../../src/core/protocol/carry.ts';
import { inboxEndpoint } from '../../src/core/protocol/endpoints.ts';
import { Priority } from '../../src/core/protocol/priority.ts';
import { Route } from '../../src/core/protocol/routes.ts';
import { namedFilesUnder } from '../helpers/files.ts';
import { islandIdle } from '../helpers/islands.ts';
import { NodePhone } from '../helpers/phone-client.ts';
import { startRelayProcess, type RelayProcess } from '../helpers/relay-process.ts';
import { waitFor } from '../helpers/wait-for.ts';

// openspec/specs/island-sync/spec.md — a relay started with a passphrase keeps its data dir sealed.
const NAME = 'Marisol Quintero';
const OFFER = 'Copper pipe fittings';
const COMMUNITY = 'Huerta del Norte';

const cleanup: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  for (const fn of cleanup.reverse()) await fn().catch(() => undefined);
});

async function tempFile(text: string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'spm-pass-'));
  cleanup.push(() => rm(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'passphrase');
  await writeFile(file, text, { mode: 0o600 });
  return file;
}

async function relay(args: string[], dataDir?: string): Promise<RelayProcess> {
  const r = await startRelayProcess({ args: ['--community-name', COMMUNITY, ...args], ...(dataDir ? { dataDir } : {}) });
  cleanup.push(() => r.cleanup());
  return r;
}

/** A message bundle from another island for someone, as a carrying phone hands it in. */
function carriedMessage(): Uint8Array {
  const far = createIdentity();
  const b = createBundle({ source: 'dtn://far-island/', destination: inboxEndpoint(createIdentity().agentId), payload: new Uint8Array(64).fill(1), lifetimeMs: 3600e3, creationTimeMs: Date.now(), priority: Priority.Normal });
  return encodeBundle(sealMetadata(b, far.signPublicKey, (m) => signBytes(m, far.signSecretKey)));
}

/**
 * A member joins, offers something and hands in a bundle she carried (the relay keeps who brought it);
 * the relay has it all on disk when this resolves. Her member id, as the relay would write it.
 */
async function memberPosts(r: RelayProcess): Promise<string> {
  const ana = new NodePhone(r.url);
  try {
    await ana.join(NAME);
    await ana.post([{ kind: 'offer', category: 'tools', title: OFFER, description: 'ten of each size' }]);
    await waitFor(() => ana.client.sync.state.state.pending === 0, "the relay acknowledged Ana's writes");
    const body = encodeHandIn({ bundles: [carriedMessage()] });
    const handIn = () => fetch(`${r.url}${Route.carryHandIn}`, { method: 'POST', body: body as BodyInit, headers: { [AUTH_HEADER]: signRequest(ana.me, { method: 'POST', path: Route.carryHandIn }) } });
    await expect.poll(async () => (await handIn()).status, { timeout: 20_000, interval: 500 }).toBe(200); // 403 until her entry is read
    await islandIdle(r.url);
    return ana.me.agentId;
  } finally {
    await ana.close();
  }
}

/** A file as Automerge would read it (its columns are compressed, so a word may not show as bytes), or ''. */
function asDoc(bytes: Buffer): string {
  try {
    return JSON.stringify(Automerge.load(new Uint8Array(bytes), { allowMissingChanges: true }));
  } catch {
    return '';
  }
}

/** Which of the words any file under the data dir holds as plain bytes, or as an Automerge doc that loads. */
async function plaintextOnDisk(dataDir: string, words: string[]): Promise<string[]> {
  const files = await namedFilesUnder(dataDir);
  const docs = files.map(({ bytes }) => asDoc(bytes)).join('\n');
  return words.filter((w) => docs.includes(w) || files.some(({ bytes }) => bytes.includes(Buffer.from(w))));
}

const refusal = (args: string[], dataDir: string) =>
  startRelayProcess({ dataDir, args }).then(
    (r) => {
      cleanup.push(() => r.cleanup());
      return 'started';
    },
    (err: Error) => err.message,
  );

describe('a relay with a passphrase', () => {
  it('Scenario: a sealed relay keeps no member name or id, post, community name or key readable on its disk, and opens its data again with the passphrase; a wrong or missing passphrase is refused', async () => {
    // The same steps on a relay in the clear leave the words on its disk: the scan finds what is there.
    const clear = await relay([]);
    const clearMember = await memberPosts(clear);
    await clear.stop('SIGTERM');
    expect(await plaintextOnDisk(clear.dataDir, [NAME, OFFER, COMMUNITY, 'secretKey', clearMember])).toEqual([NAME, OFFER, COMMUNITY, 'secretKey', clearMember]);
    expect(existsSync(path.join(clear.dataDir, CARRIED_FILE))).toBe(true);

    const passphrase = await tempFile('correct horse battery staple\n');
    const sealed = await relay(['--passphrase-file', passphrase]);
    const member = await memberPosts(sealed);
    await sealed.stop('SIGTERM');
    // Not even her member id: not in the documents, nor in the record of who carried what.
    expect(existsSync(path.join(sealed.dataDir, CARRIED_FILE))).toBe(true);
    expect(await plaintextOnDisk(sealed.dataDir, [NAME, OFFER, COMMUNITY, 'secretKey', member])).toEqual([]);

    // Without the passphrase, or with another, the relay says why and does not start.
    expect(await refusal([], sealed.dataDir)).toMatch(/exited with 1[\s\S]*is sealed: start the relay with --passphrase-file/);
    expect(await refusal(['--passphrase-file', await tempFile('not the right passphrase')], sealed.dataDir)).toMatch(/exited with 1[\s\S]*wrong passphrase/);
    expect(await refusal(['--passphrase-file', await tempFile('short')], sealed.dataDir)).toMatch(/exited with 1[\s\S]*shorter than 12 characters/);
    // A data dir written in the clear is not sealed in place: its plaintext would stay in free blocks.
    expect(await refusal(['--passphrase-file', passphrase], clear.dataDir)).toMatch(/exited with 1[\s\S]*written without a passphrase/);

    // With it, everything is there: a newcomer sees the offer and the community's name.
    const again = await relay(['--passphrase-file', passphrase], sealed.dataDir);
    const beto = new NodePhone(again.url);
    cleanup.push(() => beto.close());
    await beto.join('Beto');
    await waitFor(() => beto.titles().includes(OFFER), 'the offer made before the restart reaches a newcomer');
    expect(beto.community().settings.name).toBe(COMMUNITY);
  });
});
