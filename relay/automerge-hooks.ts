/**
 * Node module hooks the relay's start file registers (relay/start.ts) before anything loads Automerge:
 * Automerge's implementation.js gets the phone build's fix to its patch cache
 * (scripts/automerge-patch-cache.ts), so the `diff` automerge-repo runs after each sync message a relay
 * takes in is answered from the cache instead of exporting every patch a second time. Automerge stays in
 * node_modules (its wasm loads from beside it), so the fix is made as Node loads the file. A file that no
 * longer has the line loads unchanged (tests/unit/build/automerge-patch-cache.test.ts catches the upgrade).
 */
import { fixPatchCache } from '../scripts/automerge-patch-cache.ts';

const IMPLEMENTATION = /\/@automerge\/automerge\/dist\/mjs\/implementation\.js$/;

type LoadResult = { format?: string | null; source?: string | ArrayBuffer | ArrayBufferView | null; shortCircuit?: boolean };

export async function load(url: string, context: unknown, nextLoad: (url: string, context: unknown) => Promise<LoadResult>): Promise<LoadResult> {
  const loaded = await nextLoad(url, context);
  if (!IMPLEMENTATION.test(url) || loaded.source == null) return loaded;
  const text = typeof loaded.source === 'string' ? loaded.source : new TextDecoder().decode(loaded.source as ArrayBuffer);
  const fixed = fixPatchCache(text);
  return fixed === null ? loaded : { ...loaded, source: fixed };
}
