/**
 * Bundles the relay into dist-relay/main.mjs so it runs on plain Node: faster start, and no TypeScript
 * loader in the signal path (tsx's loader makes a SIGTERM in the first half second kill the process
 * before the relay can flush its documents). npm packages stay external.
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
async function buildAtomically(entry: string, outfile: string, external: string[] = []): Promise<void> {
  const common = { bundle: true, platform: 'node', format: 'esm', target: 'node20', packages: 'external', sourcemap: 'linked', logLevel: 'warning' } as const;
  const { outputFiles } = await build({ ...common, entryPoints: [entry], outfile, write: false, external });
  for (const f of outputFiles) {
    const tmp = `${f.path}.${process.pid}.tmp`;
    await mkdir(path.dirname(f.path), { recursive: true });
    await writeFile(tmp, f.contents);
    await rename(tmp, f.path);
  }
}

export async function buildRelay(): Promise<string> {
  // main.mjs registers Automerge's load hook, then loads relay.mjs (relay/start.ts says why two files).
  // The relay and its hooks are written before the file that loads them.
  await Promise.all([
    buildAtomically(path.join(ROOT, 'relay/main.ts'), path.join(ROOT, 'dist-relay/relay.mjs')),
    buildAtomically(path.join(ROOT, 'relay/automerge-hooks.ts'), path.join(ROOT, 'dist-relay/automerge-hooks.mjs')),
  ]);
  await Promise.all([
    buildAtomically(path.join(ROOT, 'relay/start.ts'), RELAY_BUNDLE, ['./relay.mjs']),
    buildAtomically(path.join(ROOT, 'native-bridge/main.ts'), BRIDGE_BUNDLE),
  ]);
  return RELAY_BUNDLE;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await buildRelay();
}
