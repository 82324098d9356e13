/**
 * Bridge benchmark (issue 4): 10,000 offers from 100 members converge island A -> bridge -> island B,
 * all three real relay processes on loopback; plus relay custody ingest over TCPCLv4.
 *
 * - bridge.tcpclPerSaveByte: TCPCL bytes the bridge received on A plus sent on B (its contact
 *   counters), over the Automerge.save size of the same docs (community doc + 100 feeds).
 * - bridge.convergeMs: from the bridge's contact with B coming up until island B's relay holds every
 *   doc with A's heads (it applied every change-set A held; a phone then checks the heads), against the
 *   baseline: two automerge-repo Repos syncing the same saved docs over automerge-repo-network-websocket
 *   in this run (one repo catching up with another, as relay B does with relay A).
 * - bridge.phoneOnBMs: the same contact with a fresh island B and a phone on B asking for every doc from
 *   the start, until the phone holds them all (relay B and the phone share this machine's two cores).
 * - relay.ingestBundlesPerSec: 1 KiB bundles into a relay over 1 and 4 TCPCL sessions, each with one
 *   transfer at a time (wait for every ack) and with 64 in flight (as a relay’s own pump sends).
 * Run directly (`node --import tsx bench/bridge.ts`) to print JSON lines, or import `run()`.
 */
import { rm } from 'node:fs/promises';
import type { AutomergeUrl } from '@automerge/automerge-repo';
import type { RelayProcess } from '../tests/helpers/relay-process.ts';
import { presetRelayKey } from '../tests/helpers/relay-key.ts';
import { HeadsWatcher, repoSyncBaseline, writeMembers } from './lib/bridge-docs.ts';
import { ingest, makeBundles } from './lib/bridge-ingest.ts';
import { contactWith, startRelay, status, tcpclAddress, waitFor, waitIdle } from './lib/bridge-islands.ts';
import { printWhenRunDirectly } from './lib/print-when-run-directly.ts';

type Row = Record<string, unknown>;

const started = performance.now();
/** Progress on stderr; stdout stays JSON lines. */
const note = (what: string) => process.stderr.write(`bridge: ${((performance.now() - started) / 1000).toFixed(1)} s ${what}\n`);

/** Smaller runs for trying things out: BENCH_BRIDGE_MEMBERS, BENCH_BRIDGE_OFFERS, BENCH_BRIDGE_INGEST. */
const MEMBERS = Number(process.env.BENCH_BRIDGE_MEMBERS ?? 100);
const OFFERS_EACH = Number(process.env.BENCH_BRIDGE_OFFERS ?? 100);
const INGEST_N = Number(process.env.BENCH_BRIDGE_INGEST ?? 5000);
const INGEST_BUDGET_MS = 20_000;
const STEP_TIMEOUT_MS = 120_000;

/** Every relay started, and data dirs kept across restarts, so nothing outlives the run. */
class Cleanup {
  private readonly relays = new Set<RelayProcess>();
  private readonly dirs = new Set<string>();
  track(r: RelayProcess): RelayProcess {
    this.relays.add(r);
    return r;
  }
  keepDir(dir: string): void {
    this.dirs.add(dir);
  }
  async run(): Promise<void> {
    for (const r of this.relays) await r.cleanup().catch(() => undefined);
    for (const d of this.dirs) await rm(d, { recursive: true, force: true });
  }
}

async function communityOf(r: RelayProcess): Promise<AutomergeUrl> {
  const info = (await (await fetch(`${r.url}/api/info`)).json()) as { communities: Array<{ url: AutomergeUrl }> };
  return info.communities[0].url;
}

async function waitConverged(w: HeadsWatcher, what: string): Promise<void> {
  try {
    let polls = 0;
    await waitFor(what, STEP_TIMEOUT_MS, async () => {
      if (++polls % 100 === 0) note(`${what}: ${w.matched()} docs match so far`);
      return (await w.converged()) ? true : undefined;
    });
  } catch (err) {
    throw new Error(`${(err as Error).message} (${w.matched()} docs matched)`);
  }
}

async function bridgeRows(c: Cleanup): Promise<Row[]> {
  // Each island B (one per leg) is a relay A's community names: change-sets are sealed to those keys.
  const bKeys = [await presetRelayKey(), await presetRelayKey()];
  for (const k of bKeys) c.keepDir(k.dataDir);
  const a = c.track(await startRelay('island-a', bKeys.flatMap((k) => ['--community-relay', k.key])));
  const community = await communityOf(a);

  const t0 = performance.now();
  const written = await writeMembers(a.url, community, MEMBERS, OFFERS_EACH);
  note('members written');
  const onA = new HeadsWatcher(a.url, written.heads, true); // island A's relay writes the community doc too (its first steward)
  await waitConverged(onA, 'island A to hold every doc');
  // Same heads as A, so these are A's docs as a phone on A fetched them.
  const saved = onA.saved();
  // What island B must end with: A's docs, the relay's own writes and every writer's session merged.
  const headsOnA = onA.heads();
  await onA.close();
  await written.close();
  const idleA = await waitIdle(a, STEP_TIMEOUT_MS);
  const writeMs = performance.now() - t0;
  note('island A idle, docs fetched');
  const saveBytes = [...saved.values()].reduce((n, x) => n + x.length, 0);

  // Visit A: the bridge carries everything A holds.
  const bridge = c.track(await startRelay('bridge', ['--peer', await tcpclAddress(a)]));
  c.keepDir(bridge.dataDir);
  const onBridge = await waitFor('the bridge to take custody of A’s bundles', STEP_TIMEOUT_MS, async () => {
    const s = await status(bridge);
    return s.dtn.store.count >= idleA.dtn.store.count ? s : undefined;
  });
  const aDone = Date.now();
  note('bridge visited A');
  const atA = await contactWith(bridge, 'dtn://island-a/');
  if (!atA) throw new Error('bridge has no contact with island A');
  await bridge.stop('SIGTERM');
  // Islands are separate machines: A's own background work (indexing, island agents) must not share
  // this machine's cores with B's leg, nor B's with the baseline.
  await a.stop('SIGTERM');

  // Visit B twice, from the same carried store: island B's relay alone (the like-for-like measure: one
  // repo catching up with another, as in the baseline), then a fresh island B with a phone already
  // asking for every doc while the bridge is there (what a person on B waits for).
  const legs = { relay: await visitB(c, community, bKeys[0].dataDir, bridge.dataDir, headsOnA, onBridge.dtn.store.count, idleA.dtn.store.count, false), phone: await visitB(c, community, bKeys[1].dataDir, bridge.dataDir, headsOnA, onBridge.dtn.store.count, idleA.dtn.store.count, true) };
  const atB = legs.relay.atB;

  const baseline = await repoSyncBaseline(saved, STEP_TIMEOUT_MS);
  note('baseline done');
  const tcpclBytes = atA.bytesIn + atB.bytesOut;
  const convergeMs = legs.relay.convergedMs;
  const fixture = { offers: MEMBERS * OFFERS_EACH, members: MEMBERS };
  const bContactDropped = legs.relay.dropped;
  return [
    { name: 'bridge.fixture', value: saved.size, unit: 'docs', ...fixture, saveBytes, bundlesOnA: idleA.dtn.store.count, storeBytesOnA: idleA.dtn.store.bytes, bundlesOnBridge: onBridge.dtn.store.count, writeMs: Math.round(writeMs) },
    { name: 'bridge.tcpclBytesPerSaveByte', value: +(tcpclBytes / saveBytes).toFixed(3), unit: 'ratio', target: 1.2, tcpclBytes, saveBytes, bytesInFromA: atA.bytesIn, bytesOutToB: atB.bytesOut, bundlesInFromA: atA.bundlesIn, bundlesOutToB: atB.bundlesOut, bContactDropped, perHop: +(tcpclBytes / 2 / saveBytes).toFixed(3), ...fixture },
    { name: 'bridge.aVisitMs', value: aDone - atA.since, unit: 'ms' },
    { name: 'bridge.convergeMs', value: convergeMs, unit: 'ms', what: 'contact up until relay B holds every doc with A’s heads', bundlesAtBMs: legs.relay.custodyMs, bContactDropped, changesAppliedOnB: legs.relay.changesApplied, phoneAfterwardsMs: legs.relay.phoneMs, converged: true },
    { name: 'bridge.phoneOnBMs', value: legs.phone.convergedMs, unit: 'ms', what: 'contact up until a phone on B, asking from the start, holds every doc', bundlesAtBMs: legs.phone.custodyMs, relayBAppliedMs: legs.phone.appliedMs, bContactDropped: legs.phone.dropped },
    { name: 'bridge.repoSyncBaselineMs', value: Math.round(baseline.ms), unit: 'ms', converged: baseline.converged, findRetries: baseline.findRetries },
    { name: 'bridge.timeRatio', value: +(convergeMs / baseline.ms).toFixed(3), unit: 'ratio', target: 1.5, withAVisit: +((convergeMs + aDone - atA.since) / baseline.ms).toFixed(3), phoneOnB: +(legs.phone.convergedMs / baseline.ms).toFixed(3) },
  ];
}

interface Leg {
  convergedMs: number;
  custodyMs: number | null;
  appliedMs: number | null;
  phoneMs: number | null;
  dropped: boolean;
  changesApplied: number | undefined;
  atB: NonNullable<Awaited<ReturnType<typeof contactWith>>>;
}

/**
 * A fresh island B joins the community; the bridge (same node, same store) comes with A's bundles.
 * Without a phone, B has converged once its last contact applied every change-set A held and nothing
 * waits (then a phone checks the heads). With one, B has converged when the phone holds A's heads.
 */
async function visitB(c: Cleanup, community: AutomergeUrl, bDir: string, bridgeDir: string, heads: Map<AutomergeUrl, string>, onBridge: number, setsOnA: number, withPhone: boolean): Promise<Leg> {
  const profile = process.env.BENCH_BRIDGE_PROFILE;
  const b = c.track(await startRelay('island-b', ['--join', community], bDir, profile && !withPhone ? { NODE_OPTIONS: `--import tsx --import ${new URL('./lib/bridge-cpu-prof.ts', import.meta.url).pathname}`, BENCH_CPU_PROF_DIR: profile } : {}));
  const watcher = withPhone ? new HeadsWatcher(b.url, heads) : undefined;
  const expectOnB = (await waitIdle(b, STEP_TIMEOUT_MS)).dtn.store.count + onBridge;
  note(`island B idle; bridge moves to B (${withPhone ? 'a phone on B asking' : 'relay only'})`);
  const bridge = c.track(await startRelay('bridge', ['--peer', await tcpclAddress(b)], bridgeDir));
  // The first session's start: if the contact drops and is dialled again, time still counts from here.
  const firstB = waitFor('the bridge’s contact with B', STEP_TIMEOUT_MS, () => contactWith(bridge, 'dtn://island-b/'));
  // Breakdown: when B's store holds every bundle the bridge carried (transfer done, applying may not be).
  const custody = waitFor('B to take custody', STEP_TIMEOUT_MS, async () => ((await status(b)).dtn.store.count >= expectOnB ? Date.now() : undefined)).catch(() => undefined);
  const applied = waitFor('B to apply A’s change-sets', STEP_TIMEOUT_MS, async () => {
    const s = await status(b);
    return s.replication.waiting === 0 && (s.dtn.lastContact?.changesApplied ?? 0) >= setsOnA ? Date.now() : undefined;
  });
  let phoneMs: number | null = null;
  let done: number;
  if (watcher) {
    await waitConverged(watcher, 'a phone on island B to hold A’s heads');
    done = Date.now();
  } else {
    done = await applied;
    const t = Date.now();
    const check = new HeadsWatcher(b.url, heads);
    await waitConverged(check, 'island B to hold A’s heads');
    phoneMs = Date.now() - t;
    await check.close();
  }
  await watcher?.close();
  const bSince = (await firstB).since;
  const [custodyAt, appliedAt] = [await custody, await applied.catch(() => undefined)];
  note('island B converged');
  const atB = await contactWith(bridge, 'dtn://island-b/');
  if (!atB) throw new Error('bridge has no contact with island B');
  // Byte and bundle counters are per session: if the contact dropped, they miss the first session's.
  const dropped = atB.since !== bSince;
  if (dropped) for (const line of [...b.logs, ...bridge.logs].slice(-20)) note(`contact dropped; relay log: ${line}`);
  await bridge.stop('SIGTERM');
  const seenByB = await status(b);
  await b.stop('SIGTERM');
  const since = (at: number | undefined) => (at === undefined ? null : at - bSince);
  return { convergedMs: done - bSince, custodyMs: since(custodyAt), appliedMs: since(appliedAt), phoneMs, dropped, changesApplied: seenByB.dtn.lastContact?.changesApplied, atB };
}
async function ingestRows(c: Cleanup): Promise<Row[]> {
  const r = c.track(await startRelay('ingest'));
  const host = '127.0.0.1';
  const port = (await status(r)).dtn.tcpclPort;
  const rows: Row[] = [];
  let seq = 0;
  for (const [sessions, inFlight] of [[1, 1], [4, 1], [1, 64], [4, 64]]) {
    const before = (await waitIdle(r, STEP_TIMEOUT_MS)).dtn.store.count;
    const bundles = makeBundles(INGEST_N, seq);
    seq += INGEST_N;
    const res = await ingest(host, port, bundles, sessions, INGEST_BUDGET_MS, inFlight);
    const after = (await status(r)).dtn.store.count;
    const row = { name: 'relay.ingestBundlesPerSec', value: res.bundlesPerSec, unit: 'bundles/s', sessions, inFlight, target: 5000, sent: res.sent, ms: Math.round(res.ms), bundleBytes: bundles[0].length, storeGrewBy: after - before };
    rows.push(row);
    if (after - before !== res.sent) {
      rows.push({ name: 'relay.ingest.error', value: 0, unit: 'error', sessions, message: `store grew by ${after - before}, ${res.sent} bundles were acknowledged` });
    }
  }
  return rows;
}

export async function run(): Promise<Row[]> {
  const c = new Cleanup();
  try {
    const rows = await bridgeRows(c);
    rows.push(...(await ingestRows(c)));
    return rows;
  } finally {
    await c.run();
  }
}

await printWhenRunDirectly(import.meta.url, run, { exitAfter: true });
