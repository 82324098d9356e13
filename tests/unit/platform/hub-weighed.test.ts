import * as Automerge from '@automerge/automerge';
import { cbor, generateAutomergeUrl, parseAutomergeUrl, Repo, type AutomergeUrl } from '@automerge/automerge-repo';
import type { AddressInfo } from 'node:net';
import { deflateRawSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import type { HubRefusal } from '../../../src/client/ports.ts';
import { SessionWebSocketClientAdapter } from '../../../src/platform/session-socket.ts';
import { MAX_INFLATED_BYTES } from '../../../src/core/sync/automerge-op-count.ts';
import { opBomb } from '../../helpers/op-bomb.ts';
import { growingDoc } from '../../helpers/growing-doc.ts';
import { waitFor } from '../../helpers/wait-for.ts';

// openspec/specs/island-sync/spec.md — a phone weighs what its hub sends before Automerge takes it in.
// The hub here is hostile on purpose (a seized relay): a WebSocket server speaking automerge-repo's
// wire format that answers the phone's requests with whatever the test gives it, on loopback.

interface Frame {
  type: string;
  senderId: string;
  documentId?: string;
}

const open: Array<{ close(): unknown }> = [];
afterEach(async () => {
  for (const o of open.splice(0).reverse()) await o.close();
});

/** A hub that answers a request for a doc id with a sync message carrying `changes`, or several messages (an array of them). */
async function hostileHub(answers: Map<string, Uint8Array[] | Uint8Array[][]>): Promise<string> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise((resolve) => wss.once('listening', resolve));
  open.push({ close: () => new Promise((resolve) => wss.close(resolve)) });
  wss.on('connection', (ws: WebSocket) => {
    ws.on('message', (raw: Buffer) => {
      const m = cbor.decode(new Uint8Array(raw)) as Frame;
      const reply = (frame: object) => ws.send(cbor.encode({ senderId: 'hub', targetId: m.senderId, ...frame }));
      if (m.type === 'join') reply({ type: 'peer', peerMetadata: {}, selectedProtocolVersion: '1' });
      const changes = m.documentId ? answers.get(m.documentId) : undefined;
      const messages = changes && (changes[0] instanceof Uint8Array ? [changes as Uint8Array[]] : (changes as Uint8Array[][]));
      if (m.type === 'request' && messages) for (const c of messages) reply({ type: 'sync', documentId: m.documentId, data: Automerge.encodeSyncMessage({ heads: [], need: [], have: [], changes: c }) });
    });
  });
  return `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/sync`;
}

function phoneOn(url: string, maxDocOps?: number): { repo: Repo; refusals: HubRefusal[]; network: SessionWebSocketClientAdapter } {
  const network = new SessionWebSocketClientAdapter(url, 500, () => undefined);
  const refusals: HubRefusal[] = [];
  network.onRefused = (r) => refusals.push(r);
  const repo = new Repo({ network: [network], shareConfig: { announce: async () => true, access: async () => true } });
  network.attachRepo(repo, maxDocOps);
  open.push({ close: () => repo.shutdown() });
  return { repo, refusals, network };
}

const newId = () => parseAutomergeUrl(generateAutomergeUrl()).documentId;

describe('a phone weighs what its hub sends', () => {
  it('Scenario: a hub that sends millions of changes in one message is left out, and the next doc it sends is taken in', async () => {
    const [bombId, cutId, honestId] = [newId(), newId(), newId()];
    const bomb = opBomb(200_000, 26); // about 30 KB that Automerge would take in as 5.4 million ops
    const honest = Automerge.change(Automerge.init<{ offer: string }>(), (d) => {
      d.offer = 'Two bags of rice';
    });
    const change = Automerge.getAllChanges(honest)[0]!;
    const hub = await hostileHub(
      new Map([
        [bombId, bomb.changes],
        [cutId, [change.subarray(0, change.length - 3)]], // a change cut short: it cannot be weighed
        [honestId, Automerge.getAllChanges(honest)],
      ]),
    );
    const { repo, refusals } = phoneOn(hub);

    void repo.find(`automerge:${bombId}` as AutomergeUrl).catch(() => undefined);
    await waitFor(() => refusals.some((r) => r.documentId === bombId), 'the phone leaves the bomb out', 20_000);
    void repo.find(`automerge:${cutId}` as AutomergeUrl).catch(() => undefined);
    await waitFor(() => refusals.some((r) => r.documentId === cutId), 'the phone leaves out what it cannot weigh', 20_000);
    expect(refusals).toEqual([
      { documentId: bombId, reason: 'too-many-ops' },
      { documentId: cutId, reason: 'unreadable' },
    ]);

    // The same socket and the same Automerge take in an honest doc afterwards.
    const handle = await repo.find<{ offer: string }>(`automerge:${honestId}` as AutomergeUrl);
    expect(handle.doc().offer).toBe('Two bags of rice');
  });

  it('Scenario: a hub that grows one doc with many messages, each under the bound, is left out once the doc would pass what the phone can open again', async () => {
    // Ten changes of 2,000 characters each (about 2,000 ops a message); the phone here holds at most 9,000 ops a doc.
    const messages = growingDoc().map((s) => s.changes);
    const id = newId();
    const hub = await hostileHub(new Map([[id, messages]]));
    const { repo, refusals } = phoneOn(hub, 9000);
    const handle = await repo.find<{ notes: string }>(`automerge:${id}` as AutomergeUrl);
    await waitFor(() => refusals.length > 0, 'the phone leaves the rest out', 20_000);
    expect(refusals[0]).toEqual({ documentId: id, reason: 'too-many-ops' });
    // What it took in is whole and under the bound: the first four messages (the first also made the doc).
    await waitFor(() => handle.doc().notes.length === 8000, 'the first messages are taken in', 20_000);
    expect(Automerge.stats(handle.doc()).numOps).toBeLessThanOrEqual(9000);
    expect(handle.doc().notes).toBe(['0', '1', '2', '3'].map((c) => c.repeat(2000)).join(''));
  });
  it('Scenario: a doc big enough to be inflated natively first is taken in with the edit sent after it, and a big deflate bomb is left out', async () => {
    type Posts = { posts: Record<string, { title: string; n: number }> };
    const whole = Automerge.change(Automerge.from<Posts>({ posts: {} }), (d) => {
      // Titles that do not compress to nothing, as real ones do not: the doc's deflated columns come to about 150 KB.
      for (let i = 0; i < 8000; i++) d.posts[`p${i}`] = { title: new Automerge.ImmutableString(`Offer ${i} ${((i * 2654435761) % 4294967296).toString(36)}`) as unknown as string, n: i };
    });
    const edited = Automerge.change(Automerge.clone(whole), (d) => void (d.posts.p0!.n = -1));
    // A compressed change chunk whose body inflates past what a count may inflate: about 69 KB on the wire.
    const head = Automerge.getLastLocalChange(whole)!;
    let at = 9;
    while (head[at++]! >= 0x80);
    const leb = (n: number): number[] => (n < 128 ? [n] : [(n % 128) | 0x80, ...leb(Math.floor(n / 128))]);
    const huge = deflateRawSync(new Uint8Array(MAX_INFLATED_BYTES + 4 * 1024 * 1024));
    const bomb = Uint8Array.from([...head.subarray(0, 8), 2, ...leb(huge.length), ...huge]);
    const [bigId, bombId] = [newId(), newId()];
    // The whole doc (as a hub sends a newcomer a doc), then at once the edit made after it.
    const hub = await hostileHub(new Map<string, Uint8Array[][]>([
      [bigId, [[Automerge.save(whole)], [Automerge.getLastLocalChange(edited)!]]],
      [bombId, [[bomb]]],
    ]));
    const { repo, refusals, network } = phoneOn(hub);
    void repo.find(`automerge:${bombId}` as AutomergeUrl).catch(() => undefined);
    await waitFor(() => refusals.length > 0, 'the phone leaves the bomb out', 60_000);
    expect(network.inflatedAhead).toBe(1);
    expect(refusals).toEqual([{ documentId: bombId, reason: 'too-many-ops' }]);
    const handle = await repo.find<Posts>(`automerge:${bigId}` as AutomergeUrl);
    await waitFor(() => handle.doc().posts.p0?.n === -1, 'the edit sent after the whole doc is taken in', 60_000);
    expect(Object.keys(handle.doc().posts)).toHaveLength(8000);
    expect(String(handle.doc().posts.p7999?.title)).toMatch(/^Offer 7999 /);
    expect(network.inflatedAhead).toBe(2); // the bomb and the whole doc; the edit was weighed at once, after it
  });
});
