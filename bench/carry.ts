/**
 * Carry benchmark (issue 21): 1,000 changes (one member posting 1,000 offers one at a time) and 100
 * sealed messages go from island A to island B, once in a phone (the client's Carrier, in Node) and once
 * in a relay bridge (TCPCL), in the same run, all relays real processes on loopback.
 *
 * - carry.phoneBytes / carry.bridgeBytes: bytes moved. The phone: HTTP bodies of its take at A and
 *   its hand-in at B (both directions). The bridge: its TCPCL contact counters (in from A, out to B).
 * - carry.phoneMs / carry.bridgeMs: the phone's take plus hand-in; the bridge's contact with A until it
 *   held A's bundles, plus its contact with B until B held them.
 * - carry.phoneConvergeMs / carry.bridgeConvergeMs: from the start of the hand-in (the bridge's contact
 *   with B) until island B's relay serves every doc with A's heads.
 * Run directly (`node --import tsx bench/carry.ts`) to print JSON lines, or import `run()`.
 */
import type { AutomergeUrl } from '@automerge/automerge-repo';
import { Carrier } from '../src/client/carry.ts';
import { memoryStore } from '../src/client/memory-store.ts';
import type { SecretStore } from '../src/client/vault.ts';
import { createIdentity, randomBytes } from '../src/core/crypto/keys.ts';
import { toBase64Url } from '../src/core/crypto/encoding.ts';
import { encodeEnvelope, sealMessage } from '../src/core/messaging/index.ts';
import { Route } from '../src/core/protocol/routes.ts';
import { authHeaders } from '../src/core/protocol/auth.ts';
import { encodeTakeRequest } from '../src/core/protocol/carry.ts';
import { movingLink } from '../tests/helpers/moving-link.ts';
import { openBytes, sealBytes } from '../src/core/vault/secretbox.ts';
import type { RelayProcess } from '../tests/helpers/relay-process.ts';
import { NodePhone } from '../tests/helpers/phone-client.ts';
import { HeadsWatcher, writeMembers } from './lib/bridge-docs.ts';
import { contactWith, startRelay, status, tcpclAddress, waitFor, waitIdle } from './lib/bridge-islands.ts';
import { printWhenRunDirectly } from './lib/print-when-run-directly.ts';

type Row = Record<string, unknown>;
const CHANGES = Number(process.env.BENCH_CARRY_CHANGES ?? 1000);
/** Progress while waiting (BENCH_CARRY_CHANGES=100 for a quick try). */
const MESSAGES = Number(process.env.BENCH_CARRY_MESSAGES ?? 100);
const STEP_TIMEOUT_MS = 180_000;
const started = performance.now();
const note = (what: string) => process.stderr.write(`carry: ${((performance.now() - started) / 1000).toFixed(1)} s ${what}\n`);

async function communityOf(r: RelayProcess): Promise<AutomergeUrl> {
  return ((await (await fetch(`${r.url}${Route.info}`)).json()) as { communities: Array<{ url: AutomergeUrl }> }).communities[0].url;
}

/** Fetch with every body counted, both ways. */
function countingFetch(counts: { up: number; down: number }): typeof fetch {
  return (async (input: string | URL | Request, init?: RequestInit) => {
    if (init?.body instanceof Uint8Array) counts.up += init.body.length;
    const res = await fetch(input, init);
    const body = new Uint8Array(await res.arrayBuffer());
    counts.down += body.length;
    return new Response(body, { status: res.status, headers: res.headers });
  }) as typeof fetch;
}

/** A relay busy syncing may close a kept-alive connection as a request reuses it: try again a few times. */
async function retried(send: () => Promise<Response>): Promise<Response> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await send();
    } catch (err) {
      if (attempt >= 5) throw err;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

async function converged(w: HeadsWatcher, what: string): Promise<void> {
  await waitFor(what, STEP_TIMEOUT_MS, async () => ((await w.converged()) ? true : undefined));
}

export async function run(): Promise<Row[]> {
  const relays: RelayProcess[] = [];
  const track = (r: RelayProcess) => (relays.push(r), r);
  const phones: NodePhone[] = [];
  try {
    const a = track(await startRelay('island-a'));
    const community = await communityOf(a);
    const bPhone = track(await startRelay('island-b', ['--join', community]));
    const bBridge = track(await startRelay('island-b2', ['--join', community]));

    // The carrier is a member, and island B has her member entry: on an earlier visit her phone, at the
    // same address, synced the community doc there (tests/helpers/moving-link.ts stands in for the route).
    const wifi = await movingLink(a.port);
    const pia = new NodePhone(wifi.url);
    phones.push(pia);
    await pia.join('Pia', community);
    const me = pia.me;
    const probe = async (r: RelayProcess = bPhone) => (await fetch(`${r.url}${Route.carryTake}`, { method: 'POST', body: encodeTakeRequest({ max: 0, held: [] }) as BodyInit, headers: authHeaders(me, { method: 'POST', path: Route.carryTake }) })).status;
    await waitFor('island A to know the carrier as a member', STEP_TIMEOUT_MS, async () => ((await probe(a)) === 200 ? true : undefined));
    wifi.moveTo(bPhone.port);
    await waitFor('island B to know the carrier as a member', STEP_TIMEOUT_MS, async () => ((await probe()) === 200 ? true : undefined));
    await pia.close();
    phones.length = 0;
    await wifi.close();
    note('carrier ready');

    const written = await writeMembers(a.url, community, 1, CHANGES, true);
    for (let i = 0; i < MESSAGES; i++) {
      const to = createIdentity();
      const { envelope } = sealMessage(me, { agentId: to.agentId, boxKey: toBase64Url(to.boxPublicKey) }, { kind: 'text', text: `Message ${i + 1} carried across` }, Date.now());
      const res = await retried(() => fetch(`${a.url}${Route.inbox}`, { method: 'POST', body: encodeEnvelope(envelope) as BodyInit }));
      if (res.status !== 202) throw new Error(`message ${i + 1} not taken: ${res.status}`);
    }
    const onA = new HeadsWatcher(a.url, written.heads, true);
    await converged(onA, 'island A to hold every doc');
    await onA.close();
    await written.close();
    const idleA = await waitIdle(a, STEP_TIMEOUT_MS);
    note(`island A idle with ${idleA.dtn.store.count} bundles`);

    // The phone: take at A, hand in at B.
    const counts = { up: 0, down: 0 };
    let base = a.url;
    const key = randomBytes(32);
    const saved = new Map<string, unknown>();
    const secrets: SecretStore = { get: async <T>(k: string) => saved.get(k) as T | undefined, put: async (k, v) => void saved.set(k, v) };
    const carrier = new Carrier(me, {
      relay: { get base() { return base; }, fetch: countingFetch(counts) },
      table: memoryStore().carried,
      secrets,
      seal: (b) => sealBytes(key, b),
      open: (b) => openBytes(key, b),
      connected: () => true,
    });
    await carrier.load();
    const t0 = performance.now();
    if (!(await carrier.exchange())) {
      const res = await fetch(`${a.url}${Route.carryTake}`, { method: 'POST', body: encodeTakeRequest({ max: 0, held: [] }) as BodyInit, headers: authHeaders(me, { method: 'POST', path: Route.carryTake }) });
      throw new Error(`the phone could not take from island A (a take now answers ${res.status} ${await res.text()})`);
    }
    const takeMs = performance.now() - t0;
    const carried = { ...carrier.state.state.carrying };
    note(`phone carries ${carried.change} change bundles and ${carried.message} messages (${carried.bytes} bytes)`);
    base = bPhone.url;
    const watchB = new HeadsWatcher(bPhone.url, written.heads, true);
    const t1 = performance.now();
    await waitFor('the phone to hand in at island B', STEP_TIMEOUT_MS, async () => ((await carrier.exchange()) ? true : undefined));
    const handInMs = performance.now() - t1;
    await converged(watchB, 'island B (phone) to hold every doc');
    const phoneConvergeMs = performance.now() - t1;
    await watchB.close();
    note('phone leg done');

    // The bridge: a relay that visits A, then B.
    // TCPCL byte counters are per contact: a contact that drops and comes back starts again, so every
    // contact seen (by when it came up) is summed.
    const seen = new Map<string, { bytesIn: number; bytesOut: number }>();
    const watch = async (r: RelayProcess, peer: string) => {
      const c = await contactWith(r, peer);
      if (c) seen.set(`${peer} ${c.since}`, { bytesIn: c.bytesIn, bytesOut: c.bytesOut });
      return c;
    };
    const total = (peer: string, k: 'bytesIn' | 'bytesOut') => [...seen].filter(([key]) => key.startsWith(`${peer} `)).reduce((n, [, v]) => n + v[k], 0);
    let bridge = track(await startRelay('bridge', ['--peer', await tcpclAddress(a)]));
    await waitFor('the bridge to hold A’s bundles', STEP_TIMEOUT_MS, async () => (await watch(bridge, 'dtn://island-a/'), (await status(bridge)).dtn.store.count >= idleA.dtn.store.count ? true : undefined));
    const atA = await watch(bridge, 'dtn://island-a/');
    if (!atA) throw new Error('the bridge lost its contact with A');
    const aVisitMs = Date.now() - atA.since;
    const dir = bridge.dataDir;
    await bridge.stop('SIGTERM');
    const watchB2 = new HeadsWatcher(bBridge.url, written.heads, true);
    bridge = track(await startRelay('bridge', ['--peer', await tcpclAddress(bBridge)], dir));
    const atBUp = await waitFor('the bridge to reach B', STEP_TIMEOUT_MS, async () => watch(bridge, 'dtn://island-b2/'));
    await waitFor('island B (bridge) to hold every doc', STEP_TIMEOUT_MS, async () => (await watch(bridge, 'dtn://island-b2/'), (await watchB2.converged()) ? true : undefined));
    const bridgeConvergeMs = Date.now() - atBUp.since;
    await waitFor('the bridge to hand B every bundle', STEP_TIMEOUT_MS, async () => {
      const c = await watch(bridge, 'dtn://island-b2/');
      return c && c.pending === 0 ? c : undefined;
    });
    const bVisitMs = Date.now() - atBUp.since;
    await watchB2.close();
    note('bridge leg done');
    const inFromA = total('dtn://island-a/', 'bytesIn');
    const outToB = total('dtn://island-b2/', 'bytesOut');
    const contacts = seen.size;

    const phoneBytes = counts.up + counts.down;
    const bridgeBytes = inFromA + outToB;
    const fixture = { changes: CHANGES, messages: MESSAGES, bundlesOnA: idleA.dtn.store.count };
    return [
      { name: 'carry.phoneBytes', value: phoneBytes, unit: 'bytes', up: counts.up, down: counts.down, carriedBundleBytes: carried.bytes, carriedChangeBundles: carried.change, carriedMessages: carried.message, ...fixture },
      { name: 'carry.bridgeBytes', value: bridgeBytes, unit: 'bytes', inFromA, outToB, contacts, ...fixture },
      { name: 'carry.bytesRatio', value: +(phoneBytes / bridgeBytes).toFixed(3), unit: 'ratio', what: 'phone bytes over bridge bytes for the same bundles' },
      { name: 'carry.phoneMs', value: Math.round(takeMs + handInMs), unit: 'ms', takeMs: Math.round(takeMs), handInMs: Math.round(handInMs) },
      { name: 'carry.bridgeMs', value: aVisitMs + bVisitMs, unit: 'ms', aVisitMs, bVisitMs },
      { name: 'carry.phoneConvergeMs', value: Math.round(phoneConvergeMs), unit: 'ms', what: 'hand-in start until relay B serves A’s heads' },
      { name: 'carry.bridgeConvergeMs', value: bridgeConvergeMs, unit: 'ms', what: 'contact with B up until relay B serves A’s heads' },
    ];
  } finally {
    for (const p of phones) await p.close().catch(() => undefined);
    for (const r of relays) await r.cleanup().catch(() => undefined);
  }
}

await printWhenRunDirectly(import.meta.url, run, { exitAfter: true });
