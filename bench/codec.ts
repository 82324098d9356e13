/**
 * BPv7 bundle codec benchmark: encode and decode throughput of mesh bundles (CRC-32C on every
 * block, mesh metadata, hop count, age and previous-node blocks) for several payload sizes.
 * Run directly (`node --import tsx bench/codec.ts`) to print JSON lines, or import `run()`.
 * Baseline in the same run: cbor2's generic encode/decode of the same block arrays (no framing
 * control, no CRCs, no validation), i.e. what a plain CBOR round trip costs.
 * Sealed carriage (`carriage.*`): a change-set payload encoded, sealed to a community's relay keys,
 * opened by one of them and decoded, against the same round trip in clear, per change-set.
 */
import { decode, encode } from 'cbor2';
import { createBundle, decodeBundle, encodeBundle, prepareForForward, type Bundle } from '../src/core/dtn/index.ts';
import nacl from 'tweetnacl';
import { decodePayload, encodePayload, type ChangeSetPayload } from '../src/core/sync/index.ts';
import { carriageOpener, carriageRecipient, openCarriage, sealCarriage } from '../src/core/sync/sealed-carriage.ts';
import { nodeX25519 } from '../relay/x25519.ts';
import type { BenchRow } from './lib/row.ts';
import { printWhenRunDirectly } from './lib/print-when-run-directly.ts';

const PAYLOAD_SIZES = [64, 1024, 65536];
const MEASURE_MS = 1000;

function sampleBundle(payloadBytes: number): Bundle {
  const payload = new Uint8Array(payloadBytes);
  for (let i = 0; i < payload.length; i++) payload[i] = (i * 31 + 7) & 0xff;
  const created = createBundle({
    source: 'dtn://relay-a/sync',
    destination: 'dtn://community-0123456789abcdef/~changes',
    payload,
    lifetimeMs: 86_400_000,
    creationTimeMs: Date.UTC(2025, 0, 1),
    sequence: 42,
  });
  const forwarded = prepareForForward(created, { localNode: 'dtn://relay-b/', dwellMs: 1500 });
  if (!forwarded.ok) throw new Error('sample bundle could not be forwarded');
  return forwarded.bundle;
}

/** Runs fn in batches until MEASURE_MS has passed; returns operations per second. */
function opsPerSecond(fn: () => void): number {
  for (let i = 0; i < 200; i++) fn(); // warm-up
  let ops = 0;
  let batch = 64;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < MEASURE_MS) {
    for (let i = 0; i < batch; i++) fn();
    ops += batch;
    elapsed = performance.now() - start;
    if (elapsed < MEASURE_MS / 10) batch *= 2;
  }
  return Math.round((ops / elapsed) * 1000);
}

let sink = 0; // keeps results observable so the work is not optimised away

function measureSize(payloadBytes: number): BenchRow[] {
  const bundle = sampleBundle(payloadBytes);
  const bytes = encodeBundle(bundle);
  const generic = decode(bytes) as unknown[];
  const row = (name: string, value: number): BenchRow => ({ name, value, unit: 'bundles/s', payloadBytes, bundleBytes: bytes.length });
  return [
    row('bundle.encode', opsPerSecond(() => (sink += encodeBundle(bundle).length))),
    row('bundle.decode', opsPerSecond(() => (sink += decodeBundle(bytes).ok ? 1 : 0))),
    row('baseline.cbor2.encode', opsPerSecond(() => (sink += encode(generic).length))),
    row('baseline.cbor2.decode', opsPerSecond(() => (sink += (decode(bytes) as unknown[]).length))),
  ];
}

/** A change-set of `dataBytes` of Automerge data, as the replicator emits it. */
function sampleChangeSet(dataBytes: number): ChangeSetPayload {
  const data = new Uint8Array(dataBytes);
  for (let i = 0; i < data.length; i++) data[i] = (i * 17 + 3) & 0xff;
  return { t: 'changes', doc: '2Qf4ZoMUYgXkuHTwmvYbkj9Ub8Ay', community: 'c0123456789abcdef', heads: ['ab'.repeat(32)], deps: ['cd'.repeat(32)], data };
}

/** Seal + open + decode per change-set vs the same payload in clear, for a community naming `relays` relays. */
function measureCarriage(dataBytes: number, relays: number): BenchRow[] {
  const keys = Array.from({ length: relays }, (_, i) => nacl.sign.keyPair.fromSeed(new Uint8Array(32).fill(i + 1)));
  const recipients = keys.map((k) => carriageRecipient(k.publicKey)!);
  const opener = carriageOpener(keys[relays - 1].secretKey); // the last wrap: the most tries
  const p = sampleChangeSet(dataBytes);
  const dh = nodeX25519(); // what the relay uses
  const plain = opsPerSecond(() => (sink += decodePayload(encodePayload(p)).t.length));
  const sealedBytes = sealCarriage(encodePayload(p), recipients, dh);
  const sealOnly = opsPerSecond(() => (sink += sealCarriage(encodePayload(p), recipients, dh).length));
  const openOnly = opsPerSecond(() => (sink += openCarriage(sealedBytes, opener, dh).ok ? 1 : 0));
  const sealed = opsPerSecond(() => {
    const r = openCarriage(sealCarriage(encodePayload(p), recipients, dh), opener, dh);
    if (r.ok) sink += decodePayload(r.payload).t.length;
  });
  const us = (ops: number) => +(1e6 / ops).toFixed(1);
  const context = { dataBytes, relays, payloadBytes: encodePayload(p).length, sealedBytes: sealedBytes.length };
  return [
    { name: 'carriage.plain', value: plain, unit: 'change-sets/s', usPerChangeSet: us(plain), ...context },
    { name: 'carriage.sealOpen', value: sealed, unit: 'change-sets/s', usPerChangeSet: us(sealed), overheadUs: +(us(sealed) - us(plain)).toFixed(1), sealUs: us(sealOnly), openUs: us(openOnly), ...context },
  ];
}

export async function run(): Promise<BenchRow[]> {
  const rows = [...PAYLOAD_SIZES.flatMap(measureSize), ...[1024, 65536].flatMap((n) => [...measureCarriage(n, 2), ...measureCarriage(n, 8)])];
  if (sink === -1) console.log('unreachable');
  return rows;
}

await printWhenRunDirectly(import.meta.url, run);
