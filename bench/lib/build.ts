/**
 * One production build of the PWA per bench process, into a temp directory: building into dist/
 * would race with e2e runs and other helpers that serve dist/ at the same time. BENCH_STATIC_DIR: use
 * that build instead (made beforehand with `vite build --outDir`).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BUILD_TIMEOUT_MS = 180_000;

const built = new Map<boolean, Promise<string>>();

/**
 * Directory holding a fresh `vite build` of the current sources; removed when the process exits.
 * `minify: false` keeps function names readable in CPU profiles.
 */
export function buildApp(opts: { minify?: boolean } = {}): Promise<string> {
  const minify = opts.minify ?? true;
  // An app built beforehand (e.g. of an older commit, for a before/after pair in one sitting).
  const given = process.env.BENCH_STATIC_DIR;
  if (given && minify) return Promise.resolve(given);
  if (!built.has(minify)) built.set(minify, runViteBuild(minify));
  return built.get(minify)!;
}

async function runViteBuild(minify: boolean): Promise<string> {
  const outDir = mkdtempSync(path.join(os.tmpdir(), 'spm-bench-dist-'));
  process.once('exit', () => rmSync(outDir, { recursive: true, force: true }));
  const vite = path.join(ROOT, 'node_modules/vite/bin/vite.js');
  const child = spawn(process.execPath, [vite, 'build', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'warn', ...(minify ? [] : ['--minify', 'false'])], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d));
  child.stderr.on('data', (d: Buffer) => (output += d));
  const timer = setTimeout(() => child.kill('SIGKILL'), BUILD_TIMEOUT_MS);
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve)).finally(() => clearTimeout(timer));
  if (code !== 0) throw new Error(`vite build failed (exit ${code}):\n${output.slice(-4000)}`);
  return outDir;
}
