/**
 * Vault and messaging costs: the scrypt PIN derivation at the phone default (the number that decides
 * how long unlock takes), a whole unlock, sealed-field throughput, and one message sealed and opened.
 * Run directly (`node --import tsx bench/vault.ts`) to print JSON lines, or import `run()`.
 * Baseline in the same run: scrypt at N=2^14 (half the cost), to show the cost scales with N.
 * Node on a laptop core is several times faster than a mid-range phone's browser.
 */
import { loadavg } from 'node:os';
import { toBase64Url } from '../src/core/crypto/encoding.ts';
import { createIdentity } from '../src/core/crypto/keys.ts';
import { encodeEnvelope, openMessage, sealMessage } from '../src/core/messaging/index.ts';
import { deriveKey, openBytes, PHONE_SCRYPT, sealBytes, setupLock, unlock, type ScryptParams } from '../src/core/vault/index.ts';
import { median, round1 } from './lib/stats.ts';
import { printWhenRunDirectly } from './lib/print-when-run-directly.ts';

type Row = Record<string, unknown>;

async function timeAsync(runs: number, fn: () => Promise<unknown>): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  return times;
}

async function scryptRow(name: string, params: ScryptParams, runs: number): Promise<Row> {
  const salt = new Uint8Array(16).fill(7);
  const times = await timeAsync(runs, () => deriveKey('246810', salt, params));
  return { name, value: round1(median(times)), unit: 'ms', runs, N: params.N, r: params.r, p: params.p, memMiB: (128 * params.r * params.N) / 2 ** 20, loadavg1: round1(loadavg()[0]) };
}

export async function run(): Promise<Row[]> {
  const rows: Row[] = [];
  rows.push(await scryptRow('vault.scrypt.ms', PHONE_SCRYPT, 5));
  rows.push(await scryptRow('vault.scrypt.baseline-half-N.ms', { ...PHONE_SCRYPT, N: PHONE_SCRYPT.N / 2 }, 5));

  const { record } = await setupLock('246810', '135790', PHONE_SCRYPT);
  for (const [label, pin] of [['real', '246810'], ['duress', '135790'], ['wrong', '000000']] as const) {
    const times = await timeAsync(3, () => unlock(record, pin));
    rows.push({ name: `vault.unlock.${label}.ms`, value: round1(median(times)), unit: 'ms', runs: 3 });
  }

  const dek = new Uint8Array(32).fill(1);
  const chunk = new Uint8Array(1 << 20).fill(3);
  const sealTimes = await timeAsync(5, async () => openBytes(dek, sealBytes(dek, chunk)));
  rows.push({ name: 'vault.secretbox.seal-open.MiBps', value: round1(1000 / median(sealTimes)), unit: 'MiB/s', runs: 5 });

  const alice = createIdentity();
  const bob = createIdentity();
  const to = { agentId: bob.agentId, boxKey: toBase64Url(bob.boxPublicKey) };
  const now = Date.now();
  const sample = sealMessage(alice, to, { kind: 'text', text: 'Bread at the commons, 6 pm' }, now);
  const sealT = await timeAsync(20, async () => sealMessage(alice, to, { kind: 'text', text: 'Bread at the commons, 6 pm' }, now));
  const openT = await timeAsync(20, async () => openMessage(bob, sample.envelope, now));
  rows.push({ name: 'messaging.seal.ms', value: round1(median(sealT)), unit: 'ms', runs: 20 });
  rows.push({ name: 'messaging.open.ms', value: round1(median(openT)), unit: 'ms', runs: 20 });
  rows.push({ name: 'messaging.envelope.bytes', value: encodeEnvelope(sample.envelope).length, unit: 'bytes', text: 26 });
  return rows;
}

await printWhenRunDirectly(import.meta.url, run);
