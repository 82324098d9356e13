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
/** The native bridge, bundled the same way so service units run built code, not tsx. */
export const BRIDGE_BUNDLE = path.join(ROOT, 'dist-relay/native-bridge.mjs');

export async function buildRelay(): Promise<string> {
  const common = { bundle: true, platform: 'node', format: 'esm', target: 'node20', packages: 'external', sourcemap: 'linked', logLevel: 'warning' } as const;
  await Promise.all([
    build({ ...common, entryPoints: [path.join(ROOT, 'relay/main.ts')], outfile: RELAY_BUNDLE }),
    build({ ...common, entryPoints: [path.join(ROOT, 'native-bridge/main.ts')], outfile: BRIDGE_BUNDLE }),
  ]);
  return RELAY_BUNDLE;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await buildRelay();
}
