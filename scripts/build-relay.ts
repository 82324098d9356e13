/**
 * Bundles the relay into dist-relay/main.mjs so it runs on plain Node: faster start, and no TypeScript
 * loader in the signal path (tsx's loader makes a SIGTERM in the first half second kill the process
 * before the relay can flush its documents). The relay's npm packages are bundled in too (see
 * `RELAY_EXTERNAL` for the few that are not): loaded one file at a time from node_modules, each
 * CommonJS one parsed twice (once for its exports), they made a relay take 0.95 s to listen where it now
 * takes 0.70 s (bench/relay-start.ts), and the test suites start a relay a few hundred times.
 */
import { build } from 'esbuild';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const RELAY_BUNDLE = path.join(ROOT, 'dist-relay/main.mjs');
/** The native bridge, bundled the same way so service units run built code, not tsx. */
export const BRIDGE_BUNDLE = path.join(ROOT, 'dist-relay/native-bridge.mjs');

/**
 * Each output file is written beside its place and renamed into it: npm test runs the mesh tests beside
 * Playwright, and both build the relay at start, so a relay starting meanwhile must never read half a file.
 */
async function buildAtomically(entry: string, outfile: string, external: string[] = [], packages: 'bundled' | 'external' = 'external'): Promise<void> {
  const common = { bundle: true, platform: 'node', format: 'esm', target: 'node20', sourcemap: 'linked', logLevel: 'warning' } as const;
  const { outputFiles } = await build({ ...common, ...(packages === 'external' ? { packages } : { banner: { js: COMMONJS_GLOBALS } }), entryPoints: [entry], outfile, write: false, external });
  for (const f of outputFiles) {
    const tmp = `${f.path}.${process.pid}.tmp`;
    await mkdir(path.dirname(f.path), { recursive: true });
    await writeFile(tmp, f.contents);
    await rename(tmp, f.path);
  }
}

/**
 * Packages the relay bundle still loads from node_modules: Automerge, whose files the load hook fixes as
 * Node reads them (relay/start.ts); cbor-x, which finds its native decoder beside its own files; pino,
 * whose transports start workers from files beside its own; ws's optional native helpers.
 */
const RELAY_EXTERNAL = ['@automerge/automerge', '@automerge/automerge/*', 'cbor-x', 'pino', 'thread-stream', 'bufferutil', 'utf-8-validate'];

/** What CommonJS packages bundled into an ES module expect: `require` (for Node's own modules), `__filename`, `__dirname`. */
const COMMONJS_GLOBALS = "import { createRequire as __spmCreateRequire } from 'node:module'; const require = __spmCreateRequire(import.meta.url); const __filename = import.meta.filename; const __dirname = import.meta.dirname;";

/**
 * Builds the relay (and the native bridge) into `outDir`, dist-relay/ unless a benchmark asks for
 * another: `packages: 'external'` builds it as it was before its packages were bundled in, the
 * baseline bench/relay-start.ts measures beside. `outDir` must sit inside the repository, so that what
 * stays external resolves from its node_modules.
 */
export async function buildRelay(outDir = path.dirname(RELAY_BUNDLE), packages: 'bundled' | 'external' = 'bundled'): Promise<string> {
  const relayExternal = packages === 'bundled' ? RELAY_EXTERNAL : [];
  // main.mjs registers Automerge's load hook, then loads relay.mjs (relay/start.ts says why two files).
  // The relay and its hooks are written before the file that loads them.
  await Promise.all([
    buildAtomically(path.join(ROOT, 'relay/main.ts'), path.join(outDir, 'relay.mjs'), relayExternal, packages),
    buildAtomically(path.join(ROOT, 'relay/automerge-hooks.ts'), path.join(outDir, 'automerge-hooks.mjs')),
  ]);
  await Promise.all([
    buildAtomically(path.join(ROOT, 'relay/start.ts'), path.join(outDir, 'main.mjs'), ['./relay.mjs']),
    buildAtomically(path.join(ROOT, 'native-bridge/main.ts'), path.join(outDir, path.basename(BRIDGE_BUNDLE))),
  ]);
  return path.join(outDir, 'main.mjs');
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await buildRelay();
}
