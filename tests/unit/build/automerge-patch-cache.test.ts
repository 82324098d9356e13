import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Stock from '@automerge/automerge';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { loadFixedAutomerge, PATCH_CACHE_BEFORE } from '../../../scripts/automerge-patch-cache.ts';
import { load } from '../../../relay/automerge-hooks.ts';

/*
 * The phone build fixes Automerge's patch cache (scripts/automerge-patch-cache.ts, vite.config.ts). Here
 * the same fix is applied to a copy of the installed Automerge, which is then used as the phone would.
 */
type AM = typeof Stock;
let dir = '';
let Fixed: AM;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'am-fixed-'));
  Fixed = await loadFixedAutomerge(dir);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** Posts written on one side, synced into `to` through receiveSyncMessage; returns `to` and its heads before. */
function synced(A: AM, posts: number) {
  let to = A.from<Record<string, unknown>>({ posts: {} });
  let from = A.clone(to);
  from = A.change(from, (d) => {
    for (let i = 0; i < posts; i++) (d.posts as Record<string, unknown>)[`p${i}`] = { title: `Post ${i}`, n: i };
  });
  const before = A.getHeads(to);
  let sTo = A.initSyncState();
  let sFrom = A.initSyncState();
  for (let round = 0; round < 10; round++) {
    let msg: Uint8Array | null;
    [sFrom, msg] = A.generateSyncMessage(from, sFrom);
    if (msg) [to, sTo] = A.receiveSyncMessage(to, sTo, msg);
    [sTo, msg] = A.generateSyncMessage(to, sTo);
    if (msg) [from, sFrom] = A.receiveSyncMessage(from, sFrom, msg);
  }
  return { to, before };
}

describe("Automerge's patch cache in the phone build", () => {
  it('Scenario: after a sync message, the diff automerge-repo asks for is the cached one, and equals the stock diff', () => {
    const meta = (d: unknown) => (d as Record<symbol, { mostRecentPatch?: { before: unknown; patches: unknown } }>)[Symbol.for('_am_meta')];
    const stock = synced(Stock, 200);
    expect(meta(stock.to).mostRecentPatch?.before).toBeUndefined(); // the stock cache cannot match
    const fixed = synced(Fixed, 200);
    const cached = meta(fixed.to).mostRecentPatch!;
    expect(cached.before).toEqual(fixed.before);
    const diff = Fixed.diff(fixed.to, fixed.before, Fixed.getHeads(fixed.to));
    expect(diff).toBe(cached.patches); // answered from the cache, not exported again
    expect(diff).toEqual(Stock.diff(stock.to, stock.before, Stock.getHeads(stock.to)));
    expect(Fixed.toJS(fixed.to)).toEqual(Stock.toJS(stock.to));
  });

  it("Scenario: the relay's load hook gives Automerge's implementation the same fix and leaves other files alone", async () => {
    // slim.js is dist/mjs/entrypoints/slim.js; the file the hook fixes is dist/mjs/implementation.js.
    const implementation = new URL('../implementation.js', import.meta.resolve('@automerge/automerge/slim')).href;
    const other = import.meta.resolve('@automerge/automerge/slim');
    const nextLoad = async (url: string) => ({ format: 'module', source: await readFile(fileURLToPath(url)) });
    const fixed = String((await load(implementation, {}, nextLoad)).source);
    expect(fixed).not.toContain(PATCH_CACHE_BEFORE);
    expect(fixed).toContain('before: heads,');
    const untouched = await load(other, {}, nextLoad);
    expect(untouched.source).toEqual(await readFile(fileURLToPath(other)));
  });
});
