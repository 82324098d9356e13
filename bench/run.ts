/**
 * `npm run bench [-- word…]`: runs every benchmark module one after another and prints each result
 * as one JSON line on stdout; progress goes to stderr so stdout stays machine-readable.
 * A module is any bench/*.ts (except this file) that exports `run()`, plus relay/dtn/store/bench.ts.
 * A module that throws or times out becomes a `<module>.error` row; the exit code is then 1.
 */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { buildRelay } from '../scripts/build-relay.ts';

type Row = Record<string, unknown>;
type BenchModule = { run?: () => Promise<Row[]> };

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const EXTRA = ['relay/dtn/store/bench.ts'];
/** A runaway module must not stall the rest: each gets this long. */
const MODULE_TIMEOUT_MS = 15 * 60_000;

/** Paths relative to the repo root, in a stable order. */
function discover(): string[] {
  const own = readdirSync(path.join(ROOT, 'bench'))
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts') && f !== 'run.ts')
    .sort()
    .map((f) => `bench/${f}`);
  return [...own, ...EXTRA.filter((f) => existsSync(path.join(ROOT, f)))];
}

/** `bench/codec.ts` -> `codec`; other paths keep their directories so they stay unambiguous. */
function moduleName(file: string): string {
  return file.replace(/\.ts$/, '').replace(/^bench\//, '');
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms / 1000} s`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

function print(row: Row): void {
  process.stdout.write(JSON.stringify(row) + '\n');
}

async function runModule(file: string): Promise<boolean> {
  const name = moduleName(file);
  const started = performance.now();
  try {
    const mod = (await import(pathToFileURL(path.join(ROOT, file)).href)) as BenchModule;
    if (typeof mod.run !== 'function') {
      process.stderr.write(`bench: ${file} exports no run(), skipped\n`);
      return true;
    }
    process.stderr.write(`bench: ${name} …\n`);
    const rows = await withTimeout(mod.run(), MODULE_TIMEOUT_MS, name);
    if (!Array.isArray(rows)) throw new Error('run() did not return an array of rows');
    for (const row of rows) print({ module: name, ...row });
    process.stderr.write(`bench: ${name} done in ${((performance.now() - started) / 1000).toFixed(1)} s (${rows.length} rows)\n`);
    return true;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    print({ module: name, name: `${name}.error`, value: 0, unit: 'error', message });
    process.stderr.write(`bench: ${name} FAILED: ${err instanceof Error ? err.stack : message}\n`);
    return false;
  }
}

async function main(): Promise<number> {
  const words = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  const files = discover().filter((f) => words.length === 0 || words.some((w) => f.includes(w)));
  if (files.length === 0) {
    process.stderr.write(`bench: no module matches ${words.join(', ')}\n`);
    return 1;
  }
  // Relay processes run the bundled relay; a bundle left from an earlier build would measure old code.
  await buildRelay();
  let failed = 0;
  for (const file of files) if (!(await runModule(file))) failed++;
  process.stderr.write(`bench: ${files.length - failed}/${files.length} modules ok\n`);
  return failed === 0 ? 0 : 1;
}

// Exit explicitly: a failed module may leave sockets or timers behind that would keep Node alive.
const code = await main();
process.exit(code);
