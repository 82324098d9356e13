import { describe, expect, it } from 'vitest';
import { Carrier } from '../../../src/client/carry.ts';
import type { CarriedTable } from '../../../src/client/local-store.ts';
import { memoryStore } from '../../../src/client/memory-store.ts';
import type { SecretStore } from '../../../src/client/vault.ts';
import { createIdentity } from '../../../src/core/crypto/keys.ts';
import { bundleId, createBundle, decodeBundle, encodeBundle } from '../../../src/core/dtn/index.ts';
import { decodeHandIn, decodeTakeRequest, encodeTakeAnswer, type CarryHandInAnswer } from '../../../src/core/protocol/carry.ts';
import { alertEndpoint, changesEndpoint, inboxEndpoint } from '../../../src/core/protocol/endpoints.ts';
import { Priority } from '../../../src/core/protocol/priority.ts';
import { Route } from '../../../src/core/protocol/routes.ts';
import { openBytes, sealBytes } from '../../../src/core/vault/secretbox.ts';
import { randomBytes } from '../../../src/core/crypto/keys.ts';

// openspec/changes/carry — the phone's side of carrying bundles between islands, in Node. The relays
// here only move bytes (each a map of bundles; take in priority order within the phone's room). What a
// real relay checks on hand-in is tested against relay processes in tests/relay/bridge.test.ts.

const DAY = 24 * 3600e3;
const AGENT = createIdentity().agentId;
let seq = 0;

function bundle(destination: string, priority: Priority, payloadBytes: number, o: { source?: string; lifetimeMs?: number; created?: number; fill?: number } = {}): Uint8Array {
  return encodeBundle(
    createBundle({
      source: o.source ?? 'dtn://island-a/',
      destination,
      payload: new Uint8Array(payloadBytes).fill(o.fill ?? 7),
      lifetimeMs: o.lifetimeMs ?? 7 * DAY,
      creationTimeMs: o.created ?? Date.now(),
      sequence: seq++,
      priority,
    }),
  );
}
const idOf = (bytes: Uint8Array) => {
  const d = decodeBundle(bytes);
  if (!d.ok) throw new Error('test bundle does not decode');
  return bundleId(d.bundle);
};

/** A relay that moves bytes: takes give its bundles in priority order within `max`; hand-ins are kept. */
function bytesRelay(node: string, held: Uint8Array[] = []) {
  const store = new Map(held.map((b) => [idOf(b), b]));
  const prio = (b: Uint8Array) => {
    const d = decodeBundle(b);
    return d.ok ? (d.bundle.extensions.find((e) => e.kind === 'mesh-metadata') as { priority: number }).priority : 9;
  };
  const r = {
    node,
    store,
    handedIn: [] as string[],
    /** Ids to refuse, with the reason. */
    refuse: new Map<string, string>(),
    fetch: (async (input: string | URL | Request, init?: RequestInit) => {
      const path = new URL(String(input)).pathname;
      if (path === Route.info) return Response.json({ node, communities: [] });
      expect(new Headers(init?.headers).get('x-spm-auth')).toMatch(new RegExp(`^${AGENT}\\.`));
      const body = init!.body as Uint8Array;
      if (path === Route.carryTake) {
        const req = decodeTakeRequest(body);
        const out: Uint8Array[] = [];
        let room = req.max;
        for (const [id, b] of [...store].sort((x, y) => prio(x[1]) - prio(y[1]))) {
          if (req.held.includes(id) || b.length > room) continue;
          out.push(b);
          room -= b.length;
        }
        return new Response(encodeTakeAnswer({ node, bundles: out }) as BodyInit);
      }
      if (path === Route.carryHandIn) {
        const answer: CarryHandInAnswer = { node, accepted: [], refused: [] };
        decodeHandIn(body).bundles.forEach((b, index) => {
          const id = idOf(b);
          const why = r.refuse.get(id);
          if (why) return void answer.refused.push({ index, id, reason: why });
          r.handedIn.push(id);
          answer.accepted.push({ id, outcome: store.has(id) ? 'held' : 'stored' });
          store.set(id, b);
        });
        return Response.json(answer);
      }
      return new Response('not found', { status: 404 });
    }) as typeof fetch,
  };
  return r;
}

function carrier(table: CarriedTable = memoryStore().carried) {
  const key = randomBytes(32);
  const saved = new Map<string, unknown>();
  const secrets: SecretStore = { get: async <T>(k: string) => saved.get(k) as T | undefined, put: async (k, v) => void saved.set(k, structuredClone(v)) };
  let at: { fetch: typeof fetch } = { fetch: async () => Promise.reject(new TypeError('nowhere')) };
  const c = new Carrier({ ...createIdentity(), agentId: AGENT } as ReturnType<typeof createIdentity>, {
    relay: { base: 'http://10.0.0.1', fetch: (i, o) => at.fetch(i, o) },
    table,
    secrets,
    seal: (b) => sealBytes(key, b),
    open: (b) => openBytes(key, b),
    connected: () => true,
  });
  return {
    c,
    table,
    /** The phone's route moves: the same address now answers from this relay. */
    at(relay: { fetch: typeof fetch }) {
      at = relay;
    },
  };
}

describe('carrying bundles for other islands (client, in Node)', () => {
  it('Scenario: a phone takes the most urgent bundles first within its limit and hands them in only at another island, which it then drops', async () => {
    const alert = bundle(alertEndpoint('comm'), Priority.Emergency, 2_000);
    const messages = [1, 2, 3].map(() => bundle(inboxEndpoint(AGENT), Priority.Normal, 1_000, { created: Date.now() - 60_000 })); // older than the change-sets
    const changes = Array.from({ length: 6 }, () => bundle(changesEndpoint('comm'), Priority.Normal, 200_000));
    const library = bundle('dtn://library/~manifest', Priority.Low, 300_000);
    const a = bytesRelay('dtn://island-a/', [library, ...changes, ...messages, alert]);
    const b = bytesRelay('dtn://island-b/');
    const p = carrier();
    await p.c.load();
    await p.c.setLimitMb(1);
    p.at(a);
    expect(await p.c.exchange()).toBe(true);
    const { carrying } = p.c.state.state;
    // 1 MB: the alert and the messages, then as many change-sets as fit; the low-priority file never.
    expect(carrying).toMatchObject({ alert: 1, message: 3, other: 0 });
    expect(carrying.change).toBe(Math.floor((1024 * 1024 - 5_000) / 200_150));
    expect(carrying.bytes).toBeLessThanOrEqual(1024 * 1024);

    // Back at A (or at A again later): nothing is handed back where it came from.
    expect(await p.c.exchange()).toBe(true);
    expect(a.handedIn).toEqual([]);

    p.at(b);
    expect(await p.c.exchange()).toBe(true);
    expect(b.handedIn[0]).toBe(idOf(alert)); // most urgent first
    expect(b.handedIn.slice(1, 4).sort()).toEqual(messages.map(idOf).sort());
    expect(p.c.state.state.carrying).toMatchObject({ alert: 0, message: 0, change: 0, bytes: 0 });
    expect(p.c.state.state.carryDelivered).toMatchObject({ alert: 1, message: 3, change: carrying.change });
    expect(p.c.state.state.carryLast).toMatchObject({ node: 'dtn://island-b/', handedIn: 1 + 3 + carrying.change, taken: 0 });
  });

  it('Scenario: expired bundles are dropped, refused ones are dropped, and ones a full relay could not keep are kept for the next', async () => {
    const now = Date.now();
    const soon = bundle(inboxEndpoint(AGENT), Priority.Normal, 500, { lifetimeMs: 60_000, created: now });
    const bad = bundle(changesEndpoint('comm'), Priority.Normal, 500);
    const full = bundle(changesEndpoint('comm'), Priority.Normal, 500);
    const fine = bundle(changesEndpoint('comm'), Priority.Normal, 500);
    const a = bytesRelay('dtn://island-a/', [soon, bad, full, fine]);
    const b = bytesRelay('dtn://island-b/');
    b.refuse.set(idOf(bad), 'malformed: bad-crc');
    b.refuse.set(idOf(full), 'not-kept: no-room');
    const p = carrier();
    await p.c.load();
    p.at(a);
    await p.c.exchange(now);
    expect(p.c.state.state.carrying).toMatchObject({ message: 1, change: 3 });

    p.at(b);
    expect(await p.c.exchange(now + 120_000)).toBe(false); // the relay was full: asked again soon
    expect(b.handedIn).toEqual([idOf(fine)]);
    const left = (await p.table.list()).map((m) => m.id);
    expect(left).toEqual([idOf(full)]);
    expect(p.c.state.state.carryDelivered).toMatchObject({ message: 0, change: 1 });
  });

  it('Scenario: carried bundles are sealed at rest, a lower limit drops the least urgent, and turning carrying off drops everything', async () => {
    const marker = 0x5a;
    const alert = bundle(alertEndpoint('comm'), Priority.Emergency, 400_000, { fill: marker });
    const change = bundle(changesEndpoint('comm'), Priority.Normal, 900_000, { fill: marker });
    const a = bytesRelay('dtn://island-a/', [alert, change]);
    const table = memoryStore().carried;
    const p = carrier(table);
    await p.c.load();
    p.at(a);
    await p.c.exchange();
    expect(p.c.state.state.carrying).toMatchObject({ alert: 1, change: 1 });
    // What the phone stores is sealed under its data key: not the bundle's bytes.
    for (const m of await table.list()) {
      const sealed = (await table.sealed(m.id))!;
      expect(Buffer.from(sealed).includes(Buffer.from(new Uint8Array(64).fill(marker)))).toBe(false);
    }
    await p.c.setLimitMb(1);
    expect(p.c.state.state.carrying).toMatchObject({ alert: 1, change: 0 });
    await p.c.setEnabled(false);
    expect(p.c.state.state.carrying).toMatchObject({ alert: 0, change: 0, bytes: 0 });
    expect(p.c.state.state.carryEnabled).toBe(false);
    expect(await p.c.exchange()).toBe(true);
    expect(p.c.state.state.carrying.alert).toBe(0); // off: takes nothing
  });

  it('Scenario: a relay answering garbage or out of reach costs the phone nothing it carries', async () => {
    const a = bytesRelay('dtn://island-a/', [bundle(changesEndpoint('comm'), Priority.Normal, 100)]);
    const p = carrier();
    await p.c.load();
    p.at(a);
    await p.c.exchange();
    expect(p.c.state.state.carrying.change).toBe(1);
    p.at({ fetch: (async (input: string | URL | Request) => (new URL(String(input)).pathname === Route.info ? Response.json({ node: 'dtn://island-b/' }) : new Response(new Uint8Array([0xff, 0x00, 0x13])))) as typeof fetch });
    expect(await p.c.exchange()).toBe(false);
    p.at({ fetch: async () => Promise.reject(new TypeError('no route')) });
    expect(await p.c.exchange()).toBe(false);
    expect(p.c.state.state.carrying.change).toBe(1);
  });
});
