/**
 * CRDT-over-bundles benchmark (ARCHITECTURE §6): 100 feeds x 100 offers (10,000 offers, one Automerge
 * change each, written in 10 rounds of 10 offers per feed) replicated from relay A to an empty relay B.
 *
 * Bytes: payload bytes (what the relay puts into bundles) over the Automerge.save size of the same docs,
 * for carried change-sets (bridge visits after every round, or once at the end) and for contact sync.
 * Time: contact sync over a real WebSocket on 127.0.0.1 versus the baseline measured in the same run:
 * two automerge-repo Repos syncing the same docs over automerge-repo-network-websocket.
 * Run directly (`node --import tsx bench/sync.ts`) to print JSON lines, or import `run()`.
 */
import '@automerge/automerge';
import * as Automerge from '@automerge/automerge/slim';
import { Repo } from '@automerge/automerge-repo';
import type { DocumentId } from '@automerge/automerge-repo';
import { WebSocketClientAdapter, WebSocketServerAdapter } from '@automerge/automerge-repo-network-websocket';
import { WebSocket, WebSocketServer } from 'ws';
import type { AddressInfo } from 'node:net';
import {
  ChangeSetEmitter,
  ContactSync,
  applyChangeSet,
  decodePayload,
  encodePayload,
  memoryDocAccess,
} from '../src/core/sync/index.ts';
import type { AnyDoc, ChangeSetPayload, DocAccess, SyncPayload } from '../src/core/sync/index.ts';
import { addOffer, docId, newFeed, prng, sameDocs, saveSize } from '../tests/unit/sync/fixtures.ts';
import type { BenchRow } from './lib/row.ts';
import { printWhenRunDirectly } from './lib/print-when-run-directly.ts';

const FEEDS = 100;
const OFFERS = 100;
const ROUNDS = 10;

interface Fixture {
  a: DocAccess;
  /** Change-sets emitted after every round (bridge visits A ten times). */
  everyRound: Uint8Array[];
  /** Change-sets emitted once at the end (one visit). */
  once: Uint8Array[];
  /** A's docs as they were before the last round, for an incremental contact. */
  beforeLast: Map<string, Uint8Array>;
  lastRound: Uint8Array[];
}

function build(): Fixture {
  const rnd = prng(2024);
  const a = memoryDocAccess();
  const ids = Array.from({ length: FEEDS }, () => docId(rnd));
  for (const id of ids) a.apply(id, () => newFeed(rnd, 'community-bench'));
  const perRound = new ChangeSetEmitter();
  const everyRound: Uint8Array[] = [];
  const beforeLast = new Map<string, Uint8Array>();
  let lastRound: Uint8Array[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    if (round === ROUNDS - 1) for (const id of ids) beforeLast.set(id, Automerge.save(a.get(id)!));
    for (const id of ids) {
      for (let i = 0; i < OFFERS / ROUNDS; i++) a.apply(id, (d) => addOffer(rnd, d!, round * 1000 + i));
    }
    const emitted = perRound.emitAll(a).map(encodePayload);
    everyRound.push(...emitted);
    if (round === ROUNDS - 1) lastRound = emitted;
  }
  const once = new ChangeSetEmitter().emitAll(a).map(encodePayload);
  return { a, everyRound, once, beforeLast, lastRound };
}

const total = (xs: Uint8Array[]) => xs.reduce((n, x) => n + x.length, 0);

function shuffled<T>(xs: T[], rnd: () => number): T[] {
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

function carried(f: Fixture, name: string, sets: Uint8Array[], saveBytes: number): BenchRow[] {
  const b = memoryDocAccess();
  const start = performance.now();
  for (const bytes of shuffled(sets, prng(7))) {
    applyChangeSet(b, decodePayload(bytes) as ChangeSetPayload, { accepts: () => true });
  }
  const ms = performance.now() - start;
  const converged = sameDocs(f.a, b);
  const bytes = total(sets);
  return [
    { name: `sync.carried.${name}.bytesRatio`, value: +(bytes / saveBytes).toFixed(3), unit: 'x Automerge.save', payloadBytes: bytes, saveBytes, payloads: sets.length, converged, target: 1.2 },
    { name: `sync.carried.${name}.applyTime`, value: Math.round(ms), unit: 'ms', payloads: sets.length, converged },
  ];
}

/** Contact sync over a real WebSocket on loopback; resolves when no payload is in flight. */
async function contactOverWebSocket(a: DocAccess, b: DocAccess): Promise<{ ms: number; bytes: number; messages: number }> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
  const port = (wss.address() as AddressInfo).port;
  const sa = new ContactSync({ access: a, accepts: () => true });
  const sb = new ContactSync({ access: b, accepts: () => true });
  let inFlight = 0;
  let bytes = 0;
  let messages = 0;
  let done!: () => void;
  const finished = new Promise<void>((resolve) => (done = resolve));
  const wire = (sock: WebSocket, sync: ContactSync) => {
    const send = (ps: SyncPayload[]) => {
      for (const p of ps) {
        const data = encodePayload(p);
        inFlight++;
        bytes += data.length;
        messages++;
        sock.send(data);
      }
    };
    sock.on('message', (data: Buffer) => {
      send(sync.receive(decodePayload(new Uint8Array(data.buffer, data.byteOffset, data.byteLength))));
      if (--inFlight === 0) done();
    });
    return send;
  };
  const start = performance.now();
  const serverSide = new Promise<WebSocket>((resolve) => wss.once('connection', resolve));
  const client = new WebSocket(`ws://127.0.0.1:${port}`);
  await new Promise<void>((resolve) => client.once('open', () => resolve()));
  const server = await serverSide;
  const sendA = wire(server, sa);
  const sendB = wire(client, sb);
  sendA(sa.start());
  sendB(sb.start());
  if (inFlight > 0) await finished;
  const ms = performance.now() - start;
  client.close();
  server.close();
  await new Promise<void>((resolve) => wss.close(() => resolve()));
  return { ms, bytes, messages };
}

/** Baseline: automerge-repo's own sync of the same docs between two Repos over its WebSocket adapters. */
async function repoBaseline(a: DocAccess): Promise<{ ms: number; bytes: number; converged: boolean }> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
  const port = (wss.address() as AddressInfo).port;
  let bytes = 0;
  const size = (x: unknown): number =>
    Array.isArray(x) ? x.reduce((n: number, y) => n + size(y), 0) : ArrayBuffer.isView(x) || x instanceof ArrayBuffer ? x.byteLength : 0;
  wss.on('connection', (sock) => {
    sock.on('message', (m: unknown) => (bytes += size(m)));
    const send = sock.send.bind(sock) as (data: unknown, ...rest: unknown[]) => void;
    sock.send = ((data: unknown, ...rest: unknown[]) => {
      bytes += size(data);
      send(data, ...rest);
    }) as typeof sock.send;
  });
  // ws's own types and the adapter's (isomorphic-ws) differ only nominally
  const adapter = new WebSocketServerAdapter(wss as unknown as ConstructorParameters<typeof WebSocketServerAdapter>[0]);
  const repoA = new Repo({ network: [adapter] });
  const heads = new Map<DocumentId, string>();
  for (const id of a.ids()) {
    const handle = repoA.import<unknown>(Automerge.save(a.get(id)!));
    heads.set(handle.documentId, [...Automerge.getHeads(handle.doc() as AnyDoc)].sort().join());
  }
  const start = performance.now();
  const peerA = new Promise((resolve) => repoA.networkSubsystem.once('peer', resolve));
  const repoB = new Repo({ network: [new WebSocketClientAdapter(`ws://127.0.0.1:${port}`)] });
  // find() before both sides finished the peer handshake reports docs unavailable
  await Promise.all([peerA, new Promise((resolve) => repoB.networkSubsystem.once('peer', resolve))]);
  const found = await Promise.allSettled([...heads.keys()].map((id) => repoB.find<unknown>(id)));
  const handles = found.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const ms = performance.now() - start;
  const converged = handles.length === heads.size && handles.every((h) => [...Automerge.getHeads(h.doc() as AnyDoc)].sort().join() === heads.get(h.documentId));
  await repoB.shutdown();
  await repoA.shutdown();
  await new Promise<void>((resolve) => wss.close(() => resolve()));
  return { ms, bytes, converged };
}

function copyOf(snapshot: Map<string, Uint8Array>): DocAccess {
  return memoryDocAccess(new Map([...snapshot].map(([id, bytes]) => [id, Automerge.load(bytes)])));
}

export async function run(): Promise<BenchRow[]> {
  const buildStart = performance.now();
  const f = build();
  const saveBytes = saveSize(f.a);
  const rows: BenchRow[] = [
    { name: 'sync.fixture', value: FEEDS * OFFERS, unit: 'offers', feeds: FEEDS, saveBytes, buildMs: Math.round(performance.now() - buildStart) },
    ...carried(f, 'tenVisits', f.everyRound, saveBytes),
    ...carried(f, 'oneVisit', f.once, saveBytes),
  ];

  const b = memoryDocAccess();
  const contact = await contactOverWebSocket(f.a, b);
  const contactConverged = sameDocs(f.a, b);
  const baseline = await repoBaseline(f.a);
  rows.push(
    { name: 'sync.contact.bytesRatio', value: +(contact.bytes / saveBytes).toFixed(3), unit: 'x Automerge.save', payloadBytes: contact.bytes, saveBytes, messages: contact.messages, converged: contactConverged, target: 1.2 },
    { name: 'sync.contact.time', value: Math.round(contact.ms), unit: 'ms', converged: contactConverged },
    { name: 'baseline.automerge-repo.websocket.time', value: Math.round(baseline.ms), unit: 'ms', wireBytes: baseline.bytes, converged: baseline.converged },
    { name: 'sync.contact.timeVsBaseline', value: +(contact.ms / baseline.ms).toFixed(3), unit: 'x', target: 1.5 },
    { name: 'baseline.automerge-repo.websocket.bytesRatio', value: +(baseline.bytes / saveBytes).toFixed(3), unit: 'x Automerge.save' },
  );

  // Incremental: B already holds everything but the last round.
  const lastSave = f.lastRound.length;
  const bInc = copyOf(f.beforeLast);
  const inc = await contactOverWebSocket(f.a, bInc);
  rows.push(
    { name: 'sync.contact.lastRound.bytes', value: inc.bytes, unit: 'bytes', messages: inc.messages, converged: sameDocs(f.a, bInc) },
    { name: 'sync.carried.lastRound.bytes', value: total(f.lastRound), unit: 'bytes', payloads: lastSave },
  );
  return rows;
}

await printWhenRunDirectly(import.meta.url, run);
