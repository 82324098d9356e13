/**
 * Bundles the relay into dist-relay/main.mjs so it runs on plain Node: faster start, and no TypeScript
 * loader in the signal path (tsx's loader makes a SIGTERM in the first half second kill the process
 * before the relay can flush its documents). npm packages stay external.
 */
import { build } from 'esbuild';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const RELAY_BUNDLE = path.join(ROOT, 'dist-relay/main.mjs');

export async function buildRelay(): Promise<string> {
  await build({
    entryPoints: [path.join(ROOT, 'relay/main.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    outfile: RELAY_BUNDLE,
    sourcemap: 'linked',
    logLevel: 'warning',
  });
  return RELAY_BUNDLE;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await buildRelay();
}
