import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import type { Contact } from '../../../relay/dtn/contact.ts';
import { PerPeerRouter, type RouterName } from '../../../relay/dtn/routing/per-peer.ts';
import { encodeAnnounce } from '../../../relay/dtn/routing/routing-announce.ts';
import { decodeRoutingState, encodeRoutingState, loadRoutingState, RoutingStateError, ROUTING_STATE_FILE, saveRoutingState } from '../../../relay/dtn/routing/routing-state-file.ts';
import type { BundleMeta } from '../../../relay/dtn/store/index.ts';
import { contact, meta } from './router-fixtures.ts';

// openspec/changes/dtn-routers — push history, spray-and-wait copies and PRoPHET predictabilities survive a restart.

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

const HERE = 'dtn://here/';

function router(held: BundleMeta[], r: RouterName = 'epidemic'): PerPeerRouter {
  return new PerPeerRouter(
    { ids: () => held.map((m) => m.id), has: (id) => held.some((m) => m.id === id), list: (f = {}) => held.filter((m) => !f.exclude?.has(m.id) && (f.where?.(m) ?? true)) },
    { routes: [], overrides: new Map(), summaryWaitMs: 60_000, wake: () => undefined, router: r, nodeId: HERE, serves: () => [] },
  );
}

function pass(r: PerPeerRouter, c: Contact, held: BundleMeta[]): string[] {
  const offer = r.offer(c);
  if (!offer) return [];
  const sent = held.filter((m) => !offer.exclude?.has(m.id) && (offer.where?.(m) ?? true)).filter((m) => r.forwarding(c, m.id)).map((m) => m.id);
  for (const id of sent) r.forwarded(c, id, true);
  return sent;
}

/** What a restart keeps: the snapshot through the file's own encoding. */
const restarted = (before: PerPeerRouter, held: BundleMeta[], r: RouterName = 'epidemic'): PerPeerRouter => {
  const after = router(held, r);
  after.restore(decodeRoutingState(encodeRoutingState(before.snapshot())));
  return after;
};

async function tempDir(): Promise<string> {
  const d = await mkdtemp(path.join(os.tmpdir(), 'spm-routing-state-'));
  dirs.push(d);
  return d;
}

describe('routing state across a restart', () => {
  it('Scenario: after a restart push sends a neighbour only what it was not sent before', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.string({ minLength: 1, maxLength: 6 }), { maxLength: 20 }), fc.integer({ min: 0, max: 20 }), (ids, cut) => {
        const held = ids.map((id) => meta(id));
        const before = router(held.slice(0, cut));
        const first = contact('ipn:977.0');
        before.contactUp(first);
        const sent = pass(before, first, held.slice(0, cut));
        before.contactDown(first);
        const after = restarted(before, held);
        const again = contact('ipn:977.0');
        after.contactUp(again);
        expect(pass(after, again, held).sort()).toEqual(ids.filter((id) => !sent.includes(id)).sort());
      }),
    );
  });

  it('Scenario: spray-and-wait copy counts and PRoPHET predictabilities survive a restart', () => {
    const held = [meta('mine', { source: HERE, local: true, createdAt: Date.now() + 60_000, expiresAt: Date.now() + 3600e3 })];
    const spray = router(held, 'spray');
    const c = contact('dtn://relay/');
    spray.contactUp(c);
    spray.onRouting(c, encodeAnnounce('spray', { ids: [], serves: [], table: [] }));
    expect(pass(spray, c, held)).toEqual(['mine']);
    expect(restarted(spray, held, 'spray').snapshot().spray?.counts).toEqual([['mine', 4, 'dtn://c1/~changes']]);
    const prophet = router(held, 'prophet');
    prophet.contactUp(contact('dtn://relay/'));
    const p = restarted(prophet, held, 'prophet').snapshot().prophet?.entries;
    expect(p).toEqual([['dtn://relay/', 0.75 * 0.99]]);
    // A relay that stopped using a router drops its state rather than keep it for ever.
    expect(restarted(spray, held, 'epidemic').snapshot().spray).toBeUndefined();
  });

  it('Scenario: a damaged routing state file is named in the log, set aside, and the relay starts empty', async () => {
    const dir = await tempDir();
    const warned: Array<Record<string, unknown>> = [];
    const log = { warn: (o: object) => void warned.push(o as Record<string, unknown>) };
    expect(await loadRoutingState(dir, log)).toBeUndefined(); // none yet: nothing to say
    expect(warned).toEqual([]);
    await saveRoutingState(dir, { push: [['dtn://a/', ['x']]], prophet: { agedAt: 1, entries: [['dtn://b/', 0.5]] } });
    expect(await loadRoutingState(dir, log)).toEqual({ push: [['dtn://a/', ['x']]], prophet: { agedAt: 1, entries: [['dtn://b/', 0.5]] } });
    // A predictability of 2 (a hand edit, a flipped bit) fails the whole file.
    await writeFile(path.join(dir, ROUTING_STATE_FILE), encodeRoutingState({ push: [], prophet: { agedAt: 1, entries: [['dtn://b/', 2]] } }));
    expect(await loadRoutingState(dir, log)).toBeUndefined();
    expect(warned[0]).toMatchObject({ file: path.join(dir, ROUTING_STATE_FILE), reason: expect.stringMatching(/predictability/) });
    expect(await readdir(path.join(dir, 'quarantine'))).toHaveLength(1);
    expect(await readdir(dir)).not.toContain(ROUTING_STATE_FILE);
    // Not a file at all (a directory in its place): logged, and the relay starts without it.
    await mkdir(path.join(dir, ROUTING_STATE_FILE));
    expect(await loadRoutingState(dir, log)).toBeUndefined();
    expect(warned[1]).toMatchObject({ file: path.join(dir, ROUTING_STATE_FILE), err: expect.stringMatching(/EISDIR/) });
  });

  it('Scenario: any bytes as a routing state file give state within bounds or a RoutingStateError', () => {
    const good = encodeRoutingState({ push: [['dtn://a/', ['x', 'y']]], spray: { startedAt: 5, counts: [['x', 3, 'dtn://c/~changes']] }, prophet: { agedAt: 1, entries: [['dtn://b/', 0.5]] } });
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 200 }), fc.tuple(fc.nat(good.length - 1), fc.integer({ min: 0, max: 255 })).map(([i, b]) => Uint8Array.from(good, (x, j) => (j === i ? b : x)))), (bytes) => {
        try {
          const s = decodeRoutingState(bytes);
          for (const [, n] of s.spray?.counts ?? []) expect(Number.isInteger(n) && n >= 0 && n <= 255).toBe(true);
          for (const [, p] of s.prophet?.entries ?? []) expect(p >= 0 && p <= 1).toBe(true);
        } catch (err) {
          expect(err).toBeInstanceOf(RoutingStateError);
        }
      }),
    );
  });
});
