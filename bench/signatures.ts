/**
 * `npm run bench -- signatures`: how long a phone spends checking the signatures of a community's
 * records — 10,000 signed offers from 100 members — with tweetnacl one by one (measured on a sample)
 * versus the browser's Ed25519 (WebCrypto) in one batch, in Debian's Chromium; and the relay's checks
 * (node:crypto) versus tweetnacl in Node. Offers are signed with node:crypto (same signatures).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { chromium } from '@playwright/test';
import { launchOptions } from '../tests/helpers/browser.ts';
import { createIdentity } from '../src/core/crypto/keys.ts';
import { useSignatureCheck, verifyRecord } from '../src/core/crypto/sign.ts';
import { nodeSignatureCheck } from '../relay/ed25519.ts';
import { signedOffers } from './lib/bridge-offers.ts';
import { printWhenRunDirectly } from './lib/print-when-run-directly.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const MEMBERS = 100;
const OFFERS_EACH = 100;
const NACL_SAMPLE = 100;

type Row = Record<string, unknown>;

function records(): unknown[] {
  const now = Date.now();
  return Array.from({ length: MEMBERS }, (_, m) => signedOffers(createIdentity(), m, OFFERS_EACH, now)).flat();
}

async function inChromium(recs: unknown[]): Promise<Row> {
  const out = await build({ entryPoints: [path.join(ROOT, 'bench/browser/signatures.ts')], bundle: true, format: 'iife', write: false, platform: 'browser', target: 'es2022', logLevel: 'silent' });
  // WebCrypto needs a secure context: a page from 127.0.0.1, not about:blank.
  const server = http.createServer((_, res) => res.end('<!doctype html><title>signatures bench</title>')).listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const browser = await chromium.launch(launchOptions);
  try {
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    await page.addScriptTag({ content: out.outputFiles[0].text });
    return await page.evaluate(([r, n]) => window.benchSignatures(r as unknown[], n as number), [recs, NACL_SAMPLE] as const);
  } finally {
    await browser.close();
    server.close();
  }
}

function inNode(recs: unknown[]): Row {
  const sample = recs.slice(0, NACL_SAMPLE);
  let t = performance.now();
  sample.forEach((r) => verifyRecord(r));
  const nacl = (performance.now() - t) / sample.length;
  useSignatureCheck(nodeSignatureCheck());
  try {
    const rest = recs.slice(NACL_SAMPLE);
    t = performance.now();
    const ok = rest.filter((r) => verifyRecord(r)).length;
    const native = (performance.now() - t) / rest.length;
    return { name: 'relay.signatureMsPerRecord', value: +native.toFixed(4), unit: 'ms', records: rest.length, ok, tweetnaclMsPerRecord: +nacl.toFixed(2), speedup: +(nacl / native).toFixed(1) };
  } finally {
    useSignatureCheck(undefined);
  }
}

export async function run(): Promise<Row[]> {
  // Separate record sets: verifyRecord remembers good signatures, which would flatter the second run.
  return [await inChromium(records()), inNode(records())];
}

await printWhenRunDirectly(import.meta.url, run);
