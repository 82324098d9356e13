import * as Automerge from '@automerge/automerge';
import { Repo } from '@automerge/automerge-repo';
import { WebSocketServerAdapter } from '@automerge/automerge-repo-network-websocket';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { SessionWebSocketClientAdapter } from '../../../src/platform/session-socket.ts';
import { takeWholeDoc } from '../../../src/platform/whole-doc-arrival.ts';
import { waitFor } from '../../helpers/wait-for.ts';

// openspec/specs/island-sync/spec.md — a newcomer takes a doc its hub sends whole as a whole. The hub here
// is a plain automerge-repo Repo on loopback (the relay's session checks are not what is under test).

const open: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const close of open.splice(0).reverse()) await close();
});

interface Board {
  offers: Record<string, { name: string; status: string }>;
}

async function hub(): Promise<{ repo: Repo; url: string }> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise((resolve) => wss.once('listening', resolve));
  const repo = new Repo({ network: [new WebSocketServerAdapter(wss as never)], sharePolicy: async () => false });
  open.push(() => new Promise((resolve) => wss.close(resolve)), () => repo.shutdown());
  return { repo, url: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}` };
}

function phone(url: string): { repo: Repo; network: SessionWebSocketClientAdapter } {
  const network = new SessionWebSocketClientAdapter(url, 500, () => undefined);
  const repo = new Repo({ network: [network], shareConfig: { announce: async () => true, access: async () => true } });
  network.attachRepo(repo);
  open.push(() => repo.shutdown());
  return { repo, network };
}

describe('a doc the phone waits for arrives whole', () => {
  it('Scenario: a doc its hub sends whole is taken in as a whole, and the two go on syncing both ways', async () => {
    const h = await hub();
    const board = h.repo.create<Board>({ offers: {} });
    board.change((d) => {
      for (let i = 0; i < 200; i++) d.offers[`o${i}`] = { name: `Offer ${i}`, status: 'open' };
    });
    const p = phone(h.url);
    const mine = await p.repo.find<Board>(board.url);
    expect(mine.doc()).toEqual(board.doc());
    expect(p.network.wholeDocs).toBe(1);
    expect(Automerge.getHeads(mine.doc())).toEqual(Automerge.getHeads(board.doc()));

    // What the hub writes next reaches the phone as changes, and what the phone writes reaches the hub.
    board.change((d) => void (d.offers.o7.status = 'given'));
    await waitFor(() => mine.doc().offers.o7.status === 'given', 'the hub’s change reaches the phone', 20_000);
    mine.change((d) => void (d.offers.late = { name: 'Ladder', status: 'open' }));
    await waitFor(() => board.doc().offers.late?.name === 'Ladder', 'the phone’s change reaches the hub', 20_000);
    expect(p.network.wholeDocs).toBe(1);
    expect(mine.doc()).toEqual(board.doc());
  });

  it('Scenario: the patches that describe a doc taken in whole are Automerge’s own answer, so nobody computes them again', () => {
    let doc = Automerge.from<Board & Record<string, unknown>>({ offers: {} });
    doc = Automerge.change(doc, (d) => void (d.offers.a = { name: 'Rice', status: 'open' }));
    const repo = { handles: { d: { inState: () => true, update: (fn: (x: Automerge.Doc<unknown>) => Automerge.Doc<unknown>) => void (taken = fn(Automerge.init())) } } };
    let taken: Automerge.Doc<unknown> | undefined;
    expect(takeWholeDoc(repo, 'd', Automerge.encodeSyncMessage({ heads: [], need: [], have: [], changes: [Automerge.save(doc)] }))).toBe(true);
    const heads = Automerge.getHeads(taken!);
    // The cached answer: the same array each time (Automerge computes a fresh one otherwise).
    expect(Automerge.diff(taken!, [], heads)).toBe(Automerge.diff(taken!, [], heads));
    // Applied to nothing, they give the doc.
    const rebuilt = {};
    Automerge.applyPatches(rebuilt, Automerge.diff(taken!, [], heads));
    expect(rebuilt).toEqual(doc);
  });
});
