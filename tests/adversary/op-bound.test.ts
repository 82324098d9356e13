import * as Automerge from '@automerge/automerge';
import { generateAutomergeUrl, parseAutomergeUrl, type AutomergeUrl } from '@automerge/automerge-repo';
import { cbor } from '@automerge/automerge-repo/slim';
import { describe, expect, it } from 'vitest';
import type { ChangeSetPayload } from '../../src/core/sync/index.ts';
import { findEventually } from '../../src/platform/find-eventually.ts';
import { MAX_OPS_AT_ONCE } from '../../src/core/sync/automerge-op-count.ts';
import { DOC_FULL_REASON, TOO_MANY_OPS_REASON } from '../../relay/ws-adapter.ts';
import { changeSetBundle, inject, secretKeyIn } from '../helpers/change-set-bundles.ts';
import { dtnStatus } from '../helpers/dtn-status.ts';
import { opBomb } from '../helpers/op-bomb.ts';
import { growingDoc } from '../helpers/growing-doc.ts';
import { offers } from '../helpers/phone-client.ts';
import { joinedSocket } from '../helpers/raw-sync-socket.ts';
import { relaySuite } from '../helpers/relay-suite.ts';

// openspec/specs/island-sync/spec.md — real relay processes on loopback

const t = relaySuite();

/** 500,000 characters typed and deleted by ten actors: about 500 KB, 5.5 million ops (made once: it takes seconds). */
let made: ReturnType<typeof opBomb> | undefined;
const bomb = () => (made ??= opBomb(500_000, 10));

async function syncStatus(url: string): Promise<{ tooManyOps: number; docFull: number }> {
  return ((await (await fetch(`${url}/api/status`)).json()) as { sync: { tooManyOps: number; docFull: number } }).sync;
}

describe('a relay weighs changes before Automerge takes them in', () => {
  it('Scenario: a sync message whose changes cost millions of ops closes only that socket, and the relay keeps serving', async () => {
    const r = await t.relay('op-bound', ['--join-policy', 'open']);
    const ana = await t.member(r, 'Ana');
    const url = (await (await fetch(`${r.url}/api/info`)).json() as { communities: Array<{ url: AutomergeUrl }> }).communities[0]!.url;
    const { docId, changes, ops } = bomb();
    expect(ops).toBeGreaterThan(MAX_OPS_AT_ONCE);
    // A key holding the invite sends them as one sync message for a doc of its own.
    const mallory = await joinedSocket(r.url, url, 'mallory');
    const closed = new Promise<{ code: number; reason: string }>((ok) => mallory.ws.once('close', (code, reason) => ok({ code, reason: reason.toString() })));
    const data = Automerge.encodeSyncMessage({ heads: [], need: [], have: [], changes });
    mallory.ws.send(cbor.encode({ type: 'sync', senderId: 'mallory', targetId: mallory.relayPeer, documentId: docId, data }));
    expect(await closed).toEqual({ code: 1013, reason: TOO_MANY_OPS_REASON });
    expect((await syncStatus(r.url)).tooManyOps).toBe(1);
    // The relay's Automerge is whole: a member's new post reaches another member.
    await ana.post(offers('After the bomb', 2));
    const bea = await t.member(r, 'Bea', url);
    await expect.poll(() => bea.titles().filter((x) => x.startsWith('After the bomb')).length, { timeout: 60_000 }).toBe(2);
    expect(r.child.exitCode).toBeNull();
  });

  it('Scenario: a change-set from a named relay that costs millions of ops is refused, and the next one applies', async () => {
    const friend = await t.presetKey();
    const a = await t.relay('op-bound-dtn', ['--community-relay', friend.key]);
    const info = (await (await fetch(`${a.url}/api/info`)).json()) as { relay: string; communities: Array<{ id: string; url: AutomergeUrl }> };
    const { id: community, url } = info.communities[0]!;
    const alice = await t.member(a, 'Alice');
    await expect.poll(async () => alice.community().settings.relays, { timeout: 20_000 }).toEqual([info.relay, friend.key]);
    const friendKey = await secretKeyIn(friend.dataDir);
    // The bomb, as a whole new doc of the community signed by a relay it names (a relay gone bad).
    const { changes } = bomb();
    const bombDoc = Automerge.getHeads(Automerge.load(changes[0]!));
    const heavy: ChangeSetPayload = { t: 'changes', doc: parseAutomergeUrl(generateAutomergeUrl()).documentId, community, heads: bombDoc, deps: [], data: Uint8Array.from(changes.flatMap((c) => [...c])) };
    // Then an honest change to Alice's feed from the same relay.
    const feed = (await findEventually<Record<string, unknown>>(alice.repo, alice.feedUrl)).doc();
    const carried = Automerge.change(Automerge.clone(feed), (d) => void (d.carriedBy = 'friend'));
    const honest: ChangeSetPayload = { t: 'changes', doc: parseAutomergeUrl(alice.feedUrl).documentId, community, heads: Automerge.getHeads(carried), deps: Automerge.getHeads(feed), data: Automerge.saveSince(carried, Automerge.getHeads(feed)) };

    await inject((await dtnStatus(a.url)).tcpclPort, [changeSetBundle(community, heavy, friendKey), changeSetBundle(community, honest, friendKey)]);

    const carol = await t.member(a, 'Carol', url);
    await expect.poll(async () => (await findEventually<Record<string, unknown>>(carol.repo, alice.feedUrl)).doc()?.carriedBy, { timeout: 30_000 }).toBe('friend');
    expect(a.logs.some((l) => l.includes('more changes than the relay takes in at once'))).toBe(true);
    expect(a.child.exitCode).toBeNull();
  });

  it('Scenario: a key that grows one doc with many messages, each under the bound, is refused once the doc would pass what the relay can open again', async () => {
    // A relay that opens docs of at most 9,000 ops (--max-doc-ops; the product's bound is MAX_OPS_PER_DOC).
    const r = await t.relay('doc-bound', ['--join-policy', 'open', '--max-doc-ops', '9000']);
    const url = (await (await fetch(`${r.url}/api/info`)).json() as { communities: Array<{ url: AutomergeUrl }> }).communities[0]!.url;
    // Ten changes of 2,000 characters each to one doc of its own, one message each (about 2,000 ops a message).
    const messages = growingDoc().map((s) => s.changes);
    const docId = parseAutomergeUrl(generateAutomergeUrl()).documentId;
    const mallory = await joinedSocket(r.url, url, 'mallory');
    const closed = new Promise<{ code: number; reason: string }>((ok) => mallory.ws.once('close', (code, reason) => ok({ code, reason: reason.toString() })));
    for (const changes of messages) {
      if (mallory.ws.readyState !== mallory.ws.OPEN) break;
      mallory.ws.send(cbor.encode({ type: 'sync', senderId: 'mallory', targetId: mallory.relayPeer, documentId: docId, data: Automerge.encodeSyncMessage({ heads: [], need: [], have: [], changes }) }));
    }
    expect(await closed).toEqual({ code: 1013, reason: DOC_FULL_REASON });
    // Each frame past the bound is counted (those already on the wire when the socket closed too).
    await expect.poll(async () => (await syncStatus(r.url)).docFull).toBeGreaterThanOrEqual(1);
    // The relay serves on: a member joins and posts.
    const ana = await t.member(r, 'Ana', url);
    await ana.post(offers('After the growth', 1));
    const bea = await t.member(r, 'Bea', url);
    await expect.poll(() => bea.titles(), { timeout: 60_000 }).toContain('After the growth 1');
    expect(r.child.exitCode).toBeNull();
  });

  it('Scenario: change-sets from a named relay that grow one doc past what the relay can open are refused past the bound', async () => {
    const friend = await t.presetKey();
    const a = await t.relay('doc-bound-dtn', ['--community-relay', friend.key, '--max-doc-ops', '9000']);
    const { id: community } = ((await (await fetch(`${a.url}/api/info`)).json()) as { communities: Array<{ id: string }> }).communities[0]!;
    const friendKey = await secretKeyIn(friend.dataDir);
    const doc = parseAutomergeUrl(generateAutomergeUrl()).documentId;
    const sets = growingDoc().map(({ deps, heads, data }): ChangeSetPayload => ({ t: 'changes', doc, community, heads, deps, data }));
    await inject((await dtnStatus(a.url)).tcpclPort, sets.map((p) => changeSetBundle(community, p, friendKey)));
    await expect.poll(() => a.logs.some((l) => l.includes('the document would grow past what the relay can open')), { timeout: 30_000 }).toBe(true);
    expect(a.child.exitCode).toBeNull();
  });
});
