/**
 * What sealing a relay's data dir (`--passphrase-file`, relay/sealed-data.ts) costs, against the same
 * relay in the clear in the same run: one member's feed of N offers is written to a fresh relay, the relay
 * is stopped and started again, and a newcomer fetches the feed (the relay reads it back from disk, through
 * the encryption when sealed).
 *
 * - `sealedRelay.start.ms`: first start (sealed: making the data key, one scrypt).
 * - `sealedRelay.restart.ms`: start on the written data dir (sealed: unlocking it, one scrypt).
 * - `sealedRelay.fetchAfterRestart.ms`: from the restarted relay listening until the newcomer holds all N.
 * - `sealedRelay.repoBytes`: the documents on disk.
 * Run directly (`node --import tsx bench/sealed-relay.ts`) or `npm run bench -- sealed-relay`. SEALED_BENCH_OFFERS changes N.
 */
import type { AutomergeUrl, DocHandle, Repo } from '@automerge/automerge-repo';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { FeedDoc } from '../src/core/model/types.ts';
import { namedFilesUnder } from '../tests/helpers/files.ts';
import { startRelayProcess } from '../tests/helpers/relay-process.ts';
import { memberClient } from './lib/member-client.ts';
import type { BenchRow } from './lib/row.ts';
import { seedOffers } from './lib/seed.ts';
import { printWhenRunDirectly } from './lib/print-when-run-directly.ts';

const N = Number(process.env.SEALED_BENCH_OFFERS ?? 5_000);
const WAIT_MS = 300_000;

/** Polls `check` every 50 ms, up to WAIT_MS (a bench waits on events it cannot subscribe to). */
async function until(check: () => Promise<boolean> | boolean, what: string): Promise<void> {
  const deadline = Date.now() + WAIT_MS;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`never happened: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function idle(url: string): Promise<boolean> {
  const s = (await (await fetch(`${url}/api/status`)).json()) as { unsaved: number; replication: { unemitted: number } };
  return s.unsaved + s.replication.unemitted === 0;
}

/**
 * The feed once the relay has it: a relay just started lists a community's feeds only once it has read
 * the community doc back from disk (part of what is timed), and until then it answers "unavailable";
 * it sends the doc when it lists it (relay/early-requests.ts).
 */
async function findWhenListed(repo: Repo, url: AutomergeUrl): Promise<DocHandle<FeedDoc>> {
  const handle = await repo.find<FeedDoc>(url, { allowableStates: ['ready', 'unavailable'] });
  await handle.whenReady(['ready']);
  return handle;
}

/** The relay's heads for the doc include the writer's own (the relay has taken all of it), as the phone's status line checks. */
async function relayHolds(repo: Repo, url: AutomergeUrl): Promise<boolean> {
  const handle = await repo.find(url);
  const relay = repo.peers.map((p) => repo.getStorageIdOfPeer(p)).find(Boolean);
  const theirs: string[] = relay ? (handle.getSyncInfo(relay)?.lastHeads ?? []) : [];
  return handle.heads().every((h) => theirs.includes(h));
}

interface Figures {
  startMs: number;
  restartMs: number;
  fetchMs: number;
  repoBytes: number;
}

async function measure(extraArgs: string[]): Promise<Figures> {
  const args = ['--agents-interval-ms', '0', ...extraArgs];
  const env = { LOG_LEVEL: 'warn' };
  let t = performance.now();
  const relay = await startRelayProcess({ args, env });
  const startMs = performance.now() - t;
  try {
    const seeder = await seedOffers(relay.url, N);
    await until(() => relayHolds(seeder.repo, seeder.feedUrl as AutomergeUrl), 'the relay acknowledged the feed');
    await until(() => idle(relay.url), 'the relay wrote the feed');
    await seeder.close();
    await relay.stop('SIGTERM');
    const repoBytes = (await namedFilesUnder(path.join(relay.dataDir, 'repo'))).reduce((n, f) => n + f.bytes.byteLength, 0);
    t = performance.now();
    const again = await startRelayProcess({ dataDir: relay.dataDir, args, env });
    const restartMs = performance.now() - t;
    t = performance.now();
    const reader = await memberClient(again.url);
    try {
      const feed = await findWhenListed(reader.repo, seeder.feedUrl as AutomergeUrl);
      await until(() => Object.keys(feed.doc().intents).length === N, `the newcomer holds all ${N} offers`);
      return { startMs, restartMs, fetchMs: performance.now() - t, repoBytes };
    } finally {
      await reader.repo.shutdown();
      await again.stop('SIGKILL');
    }
  } finally {
    await relay.cleanup();
  }
}

const round = (ms: number) => Math.round(ms);

export async function run(): Promise<BenchRow[]> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'spm-bench-pass-'));
  try {
    const file = path.join(dir, 'passphrase');
    await writeFile(file, 'a bench passphrase of some length\n', { mode: 0o600 });
    const clear = await measure([]);
    const sealed = await measure(['--passphrase-file', file]);
    const row = (name: string, key: keyof Figures, unit: string): BenchRow => ({
      name,
      value: round(sealed[key]),
      unit,
      baseline: round(clear[key]),
      ratio: Math.round((sealed[key] / clear[key]) * 100) / 100,
      offers: N,
      note: 'sealed relay; baseline: the same relay in the clear, same run',
    });
    return [row('sealedRelay.start.ms', 'startMs', 'ms'), row('sealedRelay.restart.ms', 'restartMs', 'ms'), row('sealedRelay.fetchAfterRestart.ms', 'fetchMs', 'ms'), row('sealedRelay.repoBytes', 'repoBytes', 'bytes')];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

await printWhenRunDirectly(import.meta.url, run);
