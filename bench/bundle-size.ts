/**
 * JS shipped to a phone: gzip (level 9) and brotli (quality 11, as scripts/compress.ts writes them) sizes
 * of every .js file in a fresh production build (app shell, lazy chunks, service worker and workbox
 * runtime), with and without the Automerge wasm, and of the entry: the scripts index.html loads before
 * anything can paint (its module script and the chunks it modulepreloads).
 * Targets (issues 3, 20): JS without wasm ≤ 200 KB gzip; entry ≤ 80 KB gzip. KB here is 1000 bytes, as Vite reports.
 * Run directly (`node --import tsx bench/bundle-size.ts`) to print JSON lines, or import `run()`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { compressBytes } from '../scripts/compress.ts';
import { xzCompress } from '../scripts/xz.ts';
import { buildApp } from './lib/build.ts';
import type { BenchRow } from './lib/row.ts';
import { printWhenRunDirectly } from './lib/print-when-run-directly.ts';

const TARGET_KB = 200;
const ENTRY_TARGET_KB = 80;

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name));
}

const kb = (bytes: number): number => Math.round(bytes / 100) / 10;

interface Sized {
  file: string;
  gzip: number;
  br: number;
}

/** Per-file compressed sizes, keyed by path inside the build, largest first. */
async function sizes(outDir: string, ext: string): Promise<Sized[]> {
  const out: Sized[] = [];
  for (const f of filesUnder(outDir).filter((x) => x.endsWith(ext))) {
    const bytes = readFileSync(f);
    out.push({ file: path.relative(outDir, f), gzip: gzipSync(bytes, { level: 9 }).length, br: (await compressBytes(bytes, 'br')).length });
  }
  return out.sort((a, b) => b.gzip - a.gzip);
}

const sum = (xs: Sized[], k: 'gzip' | 'br'): number => xs.reduce((a, x) => a + x[k], 0);

/**
 * The JS a first visit must run before anything renders: index.html's module script(s) and modulepreloads,
 * and the strings of one language (main.ts awaits them before mounting; English, the larger-audience
 * default, stands for either: the Spanish table is about the same size).
 */
function entryScripts(outDir: string): string[] {
  const html = readFileSync(path.join(outDir, 'index.html'), 'utf8');
  const scripts = [...html.matchAll(/<script[^>]*type="module"[^>]*src="\/?([^"]+)"/g)].map((m) => m[1]);
  const preloads = [...html.matchAll(/<link[^>]*rel="modulepreload"[^>]*href="\/?([^"]+)"/g)].map((m) => m[1]);
  const strings = readdirSync(path.join(outDir, 'assets')).filter((f) => /^en-[\w-]+\.js$/.test(f)).map((f) => `assets/${f}`);
  return [...new Set([...scripts, ...preloads, ...strings])];
}

export async function run(): Promise<BenchRow[]> {
  const outDir = await buildApp();
  const js = await sizes(outDir, '.js');
  const wasm = await sizes(outDir, '.wasm');
  const entryNames = entryScripts(outDir);
  const entry = js.filter((x) => entryNames.includes(x.file));
  const files = Object.fromEntries(js.map((x) => [x.file, x.gzip]));
  const wasmRaw = wasm.reduce((a, x) => a + readFileSync(path.join(outDir, x.file)).length, 0);
  const packed = await Promise.all(wasm.map((x) => xzCompress(readFileSync(path.join(outDir, x.file)))));
  const xz = packed.every((p) => p) ? packed.reduce((a, p) => a + p!.length, 0) : undefined;
  const row = (name: string, bytes: number, extra: Record<string, unknown> = {}): BenchRow => ({ name, value: kb(bytes), unit: 'KB', bytes, ...extra });
  return [
    row('js.gzip.entry', sum(entry, 'gzip'), { target: ENTRY_TARGET_KB, pass: sum(entry, 'gzip') <= ENTRY_TARGET_KB * 1000, files: entryNames }),
    row('js.gzip.withoutWasm', sum(js, 'gzip'), { target: TARGET_KB, pass: sum(js, 'gzip') <= TARGET_KB * 1000, chunks: js.length, files }),
    row('js.gzip.withWasm', sum(js, 'gzip') + sum(wasm, 'gzip')),
    row('wasm.gzip', sum(wasm, 'gzip'), { rawBytes: wasmRaw }),
    row('js.br.entry', sum(entry, 'br')),
    row('js.br.withoutWasm', sum(js, 'br')),
    row('js.br.withWasm', sum(js, 'br') + sum(wasm, 'br')),
    row('wasm.br', sum(wasm, 'br'), { rawBytes: wasmRaw }),
    // What a phone on plain HTTP fetches (src/core/protocol/packed-wasm.ts); absent where the machine has no xz.
    ...(xz === undefined ? [] : [row('wasm.xz', xz, { rawBytes: wasmRaw })]),
  ];
}

await printWhenRunDirectly(import.meta.url, run);
