/**
 * Library and discovery benchmark (issue 10).
 *
 * - library.chunkHash.node / .browser: splitting a 25 MB file into 256 KiB chunks and naming each by
 *   SHA-256 (@noble/hashes, as phones and relays do), MB/s; baselines in the same run: node:crypto's
 *   native SHA-256 in Node, WebCrypto's SHA-256 in Chromium.
 * - library.sealFile.node / sealAndOpenFile.node: a 25 MB members-only file encrypted under its own key
 *   and chunked (baseline: chunking alone), and encrypted then decrypted, MB/s.
 * - library.resume.*: a 20 MB file carried A → bridge → B by real relay processes, the bridge's link to
 *   B cut after 10 MB; bytes on the wire for the resumed contact vs the chunks B still lacked and vs the
 *   file; baseline: the bridge's uncut contact with A for the same file.
 * - discovery.query: mean and p95 query time over 100,000 public records (text + area, text + category);
 *   baseline: a linear scan over the same records.
 * Run directly (`node --import tsx bench/library.ts`) to print JSON lines, or import `run()`.
 */
import { createHash } from 'node:crypto';
import { rm } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { PublicIndex, tokenize, type PublicRecord } from '../src/core/discovery/index.ts';
import { CHUNK_SIZE, createManifest, decryptFile, encryptFile, newFileSecret, splitFile } from '../src/core/library/index.ts';
import { buildRelay } from '../scripts/build-relay.ts';
import { NodePhone } from '../tests/helpers/phone-client.ts';
import type { RelayProcess } from '../tests/helpers/relay-process.ts';
import { asBody, CuttableLink, randomFile } from '../tests/relay/library-link.ts';
import { contactWith, startRelay, status, tcpclAddress, waitFor } from './lib/bridge-islands.ts';
import { launchChromium } from './lib/chromium.ts';
import { printWhenRunDirectly } from './lib/print-when-run-directly.ts';

type Row = { name: string; value: number; unit: string; [k: string]: unknown };
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const MB = 1024 * 1024;
const note = (what: string) => process.stderr.write(`library: ${what}\n`);

function best(reps: number, f: () => void): number {
  let ms = Infinity;
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    f();
    ms = Math.min(ms, performance.now() - t0);
  }
  return ms;
}

function chunkingNode(): Row[] {
  const file = randomFile(25 * MB, 1);
  const noble = best(3, () => splitFile(file));
  const native = best(3, () => {
    for (let at = 0; at < file.length; at += CHUNK_SIZE) createHash('sha256').update(file.subarray(at, at + CHUNK_SIZE)).digest();
  });
  return [
    { name: 'library.chunkHash.node', value: +(25 / (noble / 1000)).toFixed(1), unit: 'MB/s', fileMB: 25, chunkKiB: 256 },
    { name: 'library.chunkHash.node.baselineNodeCrypto', value: +(25 / (native / 1000)).toFixed(1), unit: 'MB/s' },
  ];
}

/** A members-only file: encrypted whole under its file key (tweetnacl secretbox), then chunked and hashed; baseline: chunking alone. */
function sealingNode(): Row[] {
  const file = randomFile(25 * MB, 2);
  const secret = newFileSecret();
  const sealed = best(3, () => splitFile(encryptFile(file, secret)));
  const opened = best(3, () => decryptFile(encryptFile(file, secret), secret));
  const plain = best(3, () => splitFile(file));
  return [
    { name: 'library.sealFile.node', value: +(25 / (sealed / 1000)).toFixed(1), unit: 'MB/s', fileMB: 25, baselineChunkOnlyMBps: +(25 / (plain / 1000)).toFixed(1) },
    { name: 'library.sealAndOpenFile.node', value: +(25 / (opened / 1000)).toFixed(1), unit: 'MB/s', fileMB: 25 },
  ];
}

export async function chunkingBrowser(): Promise<Row[]> {
  const bundle = await build({
    stdin: { contents: "import { splitFile } from './src/core/library/chunk.ts'; (globalThis as any).spmSplit = splitFile;", resolveDir: ROOT, loader: 'ts' },
    bundle: true,
    format: 'iife',
    write: false,
    logLevel: 'warning',
  });
  const browser = await launchChromium();
  try {
    // WebCrypto needs a secure context: a page from 127.0.0.1 is one, about:blank is not.
    const server = http.createServer((_req, res) => res.end('<!doctype html><title>bench</title>'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    server.close();
    await page.addScriptTag({ content: bundle.outputFiles[0].text });
    const r = await page.evaluate(async ({ size, chunk }) => {
      const file = new Uint8Array(size);
      for (let at = 0; at < size; at += 65536) crypto.getRandomValues(file.subarray(at, at + 65536));
      const split = (globalThis as unknown as { spmSplit: (b: Uint8Array) => unknown }).spmSplit;
      let noble = Infinity;
      let subtle = Infinity;
      for (let i = 0; i < 3; i++) {
        let t0 = performance.now();
        split(file);
        noble = Math.min(noble, performance.now() - t0);
        t0 = performance.now();
        for (let at = 0; at < size; at += chunk) await crypto.subtle.digest('SHA-256', file.subarray(at, at + chunk));
        subtle = Math.min(subtle, performance.now() - t0);
      }
      return { noble, subtle };
    }, { size: 25 * MB, chunk: CHUNK_SIZE });
    return [
      { name: 'library.chunkHash.browser', value: +(25 / (r.noble / 1000)).toFixed(1), unit: 'MB/s', browser: 'chromium' },
      { name: 'library.chunkHash.browser.baselineWebCrypto', value: +(25 / (r.subtle / 1000)).toFixed(1), unit: 'MB/s' },
    ];
  } finally {
    await browser.close();
  }
}

async function lib(r: RelayProcess): Promise<{ chunks: number; chunkBundles: number }> {
  return ((await status(r)) as unknown as { library: { chunks: number; chunkBundles: number } }).library;
}

async function resumedTransfer(): Promise<Row[]> {
  await buildRelay();
  const relays: RelayProcess[] = [];
  const start = async (name: string, args: string[] = [], dir?: string) => relays[relays.push(await startRelay(name, args, dir)) - 1];
  const stop = async (r: RelayProcess) => void (await r.stop('SIGTERM'));
  let phone: NodePhone | undefined;
  let link: CuttableLink | undefined;
  try {
    const a = await start('island-a');
    phone = new NodePhone(a.url);
    const community = await phone.communityUrl();
    await phone.join('Ana', community);
    const b = await start('island-b', ['--join', community]);
    const bytes = randomFile(20 * MB, 7);
    const { manifest, chunks } = createManifest(phone.me, { name: 'map.pdf', mime: 'application/pdf', licence: 'CC0', audience: 'public' }, bytes, Date.now());
    await waitFor('manifest accepted', 30_000, async () => ((await fetch(`${a.url}/api/library/manifests`, { method: 'POST', body: JSON.stringify(manifest) })).ok ? true : undefined));
    for (let i = 0; i < chunks.length; i++) await fetch(`${a.url}/api/library/chunks/${manifest.chunks[i]}`, { method: 'PUT', body: asBody(chunks[i]) });
    note('file shared on A');

    let bridge = await start('bridge', ['--peer', await tcpclAddress(a)]);
    let uncut = 0;
    await waitFor('bridge has the file', 120_000, async () => {
      uncut = (await contactWith(bridge, 'dtn://island-a/'))?.bytesIn ?? uncut;
      return (await lib(bridge)).chunkBundles === 80 ? true : undefined;
    });
    await stop(bridge);

    link = new CuttableLink((await status(b)).dtn.tcpclPort);
    await link.start();
    link.cutAfter = 10 * MB;
    bridge = await start('bridge', ['--peer', `127.0.0.1:${link.port}`], bridge.dataDir);
    await link.cut;
    const first = link.toIsland;
    await stop(bridge);
    const held = await waitFor('B settles after the cut', 30_000, async () => {
      const [s, d] = [await lib(b), (await status(b)).dtn];
      return d.contacts.length === 0 && s.chunks === s.chunkBundles && (d.store as { pendingBytes?: number }).pendingBytes === 0 ? s.chunks : undefined;
    });
    link.reopen();
    bridge = await start('bridge', ['--peer', `127.0.0.1:${link.port}`], bridge.dataDir);
    await waitFor('B has the file', 120_000, async () => ((await lib(b)).chunks === 80 ? true : undefined));
    const second = link.toIsland;
    const missing = (80 - held) * CHUNK_SIZE;
    note(`resume: first ${first} B, held ${held}/80, second ${second} B`);
    return [
      { name: 'library.resume.fileBytes', value: bytes.length, unit: 'B' },
      { name: 'library.resume.firstContactBytes', value: first, unit: 'B', heldChunksAfterCut: held },
      { name: 'library.resume.secondContactBytes', value: second, unit: 'B', missingChunkBytes: missing },
      { name: 'library.resume.secondOverMissing', value: +(second / missing).toFixed(4), unit: 'ratio' },
      { name: 'library.resume.totalOverFile', value: +((first + second) / bytes.length).toFixed(4), unit: 'ratio', note: 'includes transfers under way when the link broke' },
      { name: 'library.resume.baselineUncutOverFile', value: +(uncut / bytes.length).toFixed(4), unit: 'ratio', note: 'bridge contact with A, same file, not cut' },
    ];
  } finally {
    await phone?.close().catch(() => undefined);
    await link?.close().catch(() => undefined);
    for (const r of relays) await r.cleanup().catch(() => undefined);
    for (const r of relays) await rm(r.dataDir, { recursive: true, force: true }).catch(() => undefined);
  }
}

function discoveryQueries(): Row[] {
  const words = ['water', 'filter', 'seed', 'tool', 'bike', 'ladder', 'bread', 'soap', 'rope', 'lamp', 'tent', 'stove', 'solar', 'panel', 'book', 'drill'];
  const now = Date.now();
  const records: PublicRecord[] = [];
  for (let i = 0; i < 100_000; i++) {
    const title = `${words[i % 16]} ${words[Math.floor(i / 16) % 16]} ${words[Math.floor(i / 256) % 16]}`;
    records.push({ key: String(i), audience: 'public', title, text: `item ${i} in good condition`, kind: i % 3 ? 'offer' : 'need', category: `cat${i % 20}`, area: `area${Math.floor(i / 7) % 40}`, updated: now - i });
  }
  const ix = new PublicIndex();
  const t0 = performance.now();
  for (const r of records) ix.put(r);
  const buildMs = performance.now() - t0;
  const queries: Array<{ text: string; area?: string; category?: string }> = Array.from({ length: 400 }, (_, i) => ({ text: `${words[i % 16]} ${words[(i * 5) % 16]}`, ...(i % 2 ? { area: `area${i % 40}` } : { category: `cat${i % 20}` }) }));
  const time = (f: (q: (typeof queries)[number]) => unknown) => {
    const ms = queries.map((q) => {
      const t = performance.now();
      f(q);
      return performance.now() - t;
    });
    ms.sort((x, y) => x - y);
    return { mean: ms.reduce((s, x) => s + x, 0) / ms.length, p95: ms[Math.floor(ms.length * 0.95)] };
  };
  const indexed = time((q) => ix.search(q, now));
  const scan = time((q) => {
    const want = tokenize(q.text);
    return records.filter((r) => {
      if (q.area && r.area !== q.area) return false;
      if (q.category && r.category !== q.category) return false;
      const have = new Set(tokenize(`${r.title} ${r.text}`));
      return want.every((w) => have.has(w));
    });
  });
  return [
    { name: 'discovery.query.meanMs', value: +indexed.mean.toFixed(3), unit: 'ms', records: 100_000 },
    { name: 'discovery.query.p95Ms', value: +indexed.p95.toFixed(3), unit: 'ms', records: 100_000 },
    { name: 'discovery.query.baselineScanMeanMs', value: +scan.mean.toFixed(1), unit: 'ms', records: 100_000 },
    { name: 'discovery.index.buildMs', value: +buildMs.toFixed(0), unit: 'ms', records: 100_000 },
  ];
}

export async function run(): Promise<Row[]> {
  const rows: Row[] = [...chunkingNode(), ...sealingNode(), ...discoveryQueries()];
  try {
    rows.push(...(await chunkingBrowser()));
  } catch (err) {
    note(`browser chunking not measured: ${String(err).split('\n')[0]}`);
    rows.push({ name: 'library.chunkHash.browser.error', value: 0, unit: 'none', error: String(err).split('\n')[0] });
  }
  rows.push(...(await resumedTransfer()));
  return rows;
}

await printWhenRunDirectly(import.meta.url, run);
