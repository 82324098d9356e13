import { cp, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * Automerge keeps the patches it made last (`mostRecentPatch`) so that `diff` over the same two sets of
 * heads is answered without exporting them from wasm again; automerge-repo asks exactly that `diff` after
 * every change to a handle. For `change` the cache holds; for everything else — `receiveSyncMessage`,
 * `applyChanges`, `loadIncremental`, `merge` — Automerge 3.5 records the "before" heads as the doc's
 * outdated-marker, which is empty for a current doc, so the cache never matches and every sync message a
 * phone takes in has its patches exported twice. The heads before the step are already in hand (the
 * `heads` argument); this records those. Same patches, exported once.
 */
export const PATCH_CACHE_BEFORE = 'before: _state(doc).heads,';

/** `code` of Automerge's implementation.js with the cache's "before" heads fixed, or null if it no longer has the line. */
export function fixPatchCache(code: string): string | null {
  const at = code.indexOf(PATCH_CACHE_BEFORE);
  if (at < 0 || code.indexOf(PATCH_CACHE_BEFORE, at + 1) >= 0 || !code.includes('function progressDocument(doc, source, heads, callback)')) return null;
  return code.replace(PATCH_CACHE_BEFORE, 'before: heads,');
}

/**
 * The installed Automerge with the fix applied, loaded in Node from a copy under `dir` (for the test that
 * holds the fix to Automerge's own diff, and the bench that times it). Throws if the fix no longer applies.
 */
export async function loadFixedAutomerge(dir: string): Promise<typeof import('@automerge/automerge')> {
  const dist = path.dirname(path.dirname(path.dirname(fileURLToPath(import.meta.resolve('@automerge/automerge/slim')))));
  await cp(dist, dir, { recursive: true });
  const file = path.join(dir, 'mjs', 'implementation.js');
  const fixed = fixPatchCache(await readFile(file, 'utf8'));
  if (fixed === null) throw new Error(`Automerge's implementation.js no longer has "${PATCH_CACHE_BEFORE}"`);
  await writeFile(file, fixed);
  return (await import(pathToFileURL(path.join(dir, 'mjs', 'entrypoints', 'fullfat_node.js')).href)) as typeof import('@automerge/automerge');
}
