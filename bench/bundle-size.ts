/**
 * JS shipped to a phone: gzip (level 9) sizes of every .js file in a fresh production build
 * (app bundle, lazy chunks, service worker and workbox runtime), with and without the Automerge wasm.
 * Target (issue 3): JS without wasm ≤ 200 KB gzip. KB here is 1000 bytes, as Vite reports.
 * Run directly (`node --import tsx bench/bundle-size.ts`) to print JSON lines, or import `run()`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { buildApp } from './lib/build.ts';

export interface BenchRow {
  name: string;
  value: number;
  unit: string;
  [k: string]: unknown;
}

const TARGET_KB = 200;

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name));
}

function gzipBytes(file: string): number {
  return gzipSync(readFileSync(file), { level: 9 }).length;
}

const kb = (bytes: number): number => Math.round(bytes / 100) / 10;

/** Per-file gzip sizes keyed by path inside the build, largest first. */
function sizes(outDir: string, ext: string): Array<[string, number]> {
  return filesUnder(outDir)
    .filter((f) => f.endsWith(ext))
    .map((f): [string, number] => [path.relative(outDir, f), gzipBytes(f)])
    .sort((a, b) => b[1] - a[1]);
}

const sum = (xs: Array<[string, number]>): number => xs.reduce((a, [, n]) => a + n, 0);

/** The JS a first visit must run before anything renders: the entry script(s) named in index.html. */
function entryScripts(outDir: string): string[] {
  const html = readFileSync(path.join(outDir, 'index.html'), 'utf8');
  return [...html.matchAll(/<script[^>]*type="module"[^>]*src="\/?([^"]+)"/g)].map((m) => m[1]);
}

export async function run(): Promise<BenchRow[]> {
  const outDir = await buildApp();
  const js = sizes(outDir, '.js');
  const wasm = sizes(outDir, '.wasm');
  const jsBytes = sum(js);
  const wasmBytes = sum(wasm);
  const entry = entryScripts(outDir);
  const entryBytes = sum(js.filter(([f]) => entry.includes(f)));
  const files = Object.fromEntries(js.map(([f, n]) => [f, n]));
  return [
    { name: 'js.gzip.withoutWasm', value: kb(jsBytes), unit: 'KB', bytes: jsBytes, target: TARGET_KB, pass: jsBytes <= TARGET_KB * 1000, files },
    { name: 'js.gzip.withWasm', value: kb(jsBytes + wasmBytes), unit: 'KB', bytes: jsBytes + wasmBytes },
    { name: 'wasm.gzip', value: kb(wasmBytes), unit: 'KB', bytes: wasmBytes, rawBytes: wasm.reduce((a, [f]) => a + readFileSync(path.join(outDir, f)).length, 0) },
    { name: 'js.gzip.entry', value: kb(entryBytes), unit: 'KB', bytes: entryBytes, files: entry },
  ];
}

const invokedDirectly = process.argv[1] !== undefined && import.meta.url === new URL(`file://${process.argv[1]}`).href;
if (invokedDirectly) {
  for (const row of await run()) console.log(JSON.stringify(row));
}
