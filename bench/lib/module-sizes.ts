/**
 * Where a build's JS bytes come from: for each chunk of a `vite build --sourcemap` output, the minified
 * bytes each source module contributes (by source-map mappings), summed per module across chunks, and
 * an estimate of its gzip share (the chunk's gzip size split in proportion to raw bytes).
 * For cutting the bundle (bench/bundle-size.ts says how big it is; this says why).
 * Usage: node --import tsx bench/lib/module-sizes.ts <outDir built with --sourcemap> [top N]
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { SourceMapConsumer, type RawSourceMap } from 'source-map-js';

const [outDir, topArg] = process.argv.slice(2);
if (!outDir) throw new Error('usage: module-sizes.ts <outDir> [top]');
const top = Number(topArg ?? 60);

const perModule = new Map<string, number>();
const perModuleGzip = new Map<string, number>();
const perChunk: Array<{ chunk: string; bytes: number; modules: Map<string, number> }> = [];
const files = readdirSync(outDir, { recursive: true, withFileTypes: true })
  .filter((e) => e.isFile() && e.name.endsWith('.js'))
  .map((e) => path.join(e.parentPath, e.name));
for (const file of files) {
  const code = readFileSync(file, 'utf8');
  const lines = code.split('\n');
  const modules = new Map<string, number>();
  const add = (src: string, n: number) => modules.set(src, (modules.get(src) ?? 0) + n);
  let mapped = 0;
  try {
    const map = JSON.parse(readFileSync(`${file}.map`, 'utf8')) as RawSourceMap;
    const consumer = new SourceMapConsumer(map);
    let prev: { line: number; col: number; src: string } | null = null;
    const close = (line: number, col: number) => {
      if (!prev) return;
      const n = prev.line === line ? col - prev.col : lines[prev.line - 1].length - prev.col;
      add(prev.src, n);
      mapped += n;
    };
    consumer.eachMapping((m) => {
      close(m.generatedLine, m.generatedColumn);
      prev = m.source ? { line: m.generatedLine, col: m.generatedColumn, src: m.source.replace(/^.*node_modules\//, 'nm:') } : null;
    });
    if (prev) close(-1, 0);
  } catch {
    /* no map: count the whole chunk as itself */
  }
  add('(unmapped)', code.length - mapped);
  perChunk.push({ chunk: path.relative(outDir, file), bytes: code.length, modules });
  const gz = gzipSync(code, { level: 9 }).length;
  for (const [m, n] of modules) {
    perModule.set(m, (perModule.get(m) ?? 0) + n);
    perModuleGzip.set(m, (perModuleGzip.get(m) ?? 0) + (gz * n) / code.length);
  }
}
perChunk.sort((a, b) => b.bytes - a.bytes);
for (const c of perChunk) {
  console.log(`\n== ${c.chunk} ${c.bytes}`);
  for (const [m, n] of [...c.modules].sort((a, b) => b[1] - a[1]).slice(0, 12)) console.log(`  ${String(n).padStart(8)} ${m}`);
}
console.log('\n== modules (all chunks)');
for (const [m, n] of [...perModule].sort((a, b) => b[1] - a[1]).slice(0, top)) {
  console.log(`${String(n).padStart(8)} ~${String(Math.round(perModuleGzip.get(m)!)).padStart(6)} gz ${m}`);
}
