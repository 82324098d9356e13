import { mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'vitest';
import { dtnStatus, handedOver, RELAY_ANSWER_MS, relayStatus } from './dtn-status.ts';
import { netnsUnavailable, TestNet } from './netns.ts';
import { phonesNetns } from './phones-netns.ts';
import { startRelayProcess, type RelayProcess } from './relay-process.ts';
import { presetRelayKey } from './relay-key.ts';

/**
 * Island A, a bridge and island B, each a real relay; A and B are never linked. With network
 * namespaces the bridge's veth to each island goes up and down (`ip link set`); where the machine
 * cannot make namespaces (or SPM_MESH_LOOPBACK is set) the bridge "moves" by restarting with a link to
 * the other island only, on loopback ports.
 */
export interface Islands {
  a: RelayProcess;
  b: RelayProcess;
  community: string;
  /** Why namespaces are not used, or null when they are. */
  fallback: string | null;
  /** The namespace the phones' browser runs in (phones-netns.ts), or null on loopback. */
  phoneNetns: string | null;
  bridgeStatusUrl(): string;
  /** Bridge link to island A / B comes up or goes down; resolves when the island sees it. */
  linkA(up: boolean): Promise<void>;
  linkB(up: boolean): Promise<void>;
  /** Every relay's data directory (for checking what they stored). */
  dataDirs(): string[];
  /** Each relay's status and last log lines, printed when a mesh test fails. */
  report(): Promise<string>;
  /** A few lines of the same for the end of a CI log (failure-notes.ts): the links' moves, each relay's last words. */
  brief(): Promise<string[]>;
  cleanup(): Promise<void>;
}

const REPORT_LOG_LINES = 60;

async function reportOn(relays: RelayProcess[]): Promise<string> {
  const parts: string[] = [];
  for (const r of relays) {
    const status = await fetch(`${r.url}/api/status`, { signal: AbortSignal.timeout(2_000) })
      .then((res) => res.text())
      .catch((err: unknown) => `status unavailable: ${String(err)}`);
    parts.push(`--- relay ${r.url} (exit ${r.child.exitCode ?? r.child.signalCode ?? 'running'})`, status, ...r.logs.slice(-REPORT_LOG_LINES));
  }
  return parts.join('\n');
}

/** Log lines per relay in a brief: the last ones say where a scenario stopped. */
const BRIEF_LOG_LINES = 6;

/** One relay log line (pino JSON) cut to its time, message and the fields that tell one bundle or peer from another. */
function briefLine(line: string, since: number): string {
  try {
    const { time, msg, level: _level, pid: _pid, name: _name, hostname: _host, ...rest } = JSON.parse(line) as Record<string, unknown>;
    return `  ${typeof time === 'number' ? `${((time - since) / 1000).toFixed(1)} s` : '?'} ${String(msg)} ${JSON.stringify(rest).slice(0, 120)}`;
  } catch {
    return `  ${line.slice(0, 160)}`;
  }
}

/** Each relay's store, contacts and last log lines, times counted from `since`; the links' moves first. */
export async function relaysBrief(relays: RelayProcess[], since: number, timeline: string[] = []): Promise<string[]> {
  const lines = [`links: ${timeline.join(', ') || 'never moved'}; ${((Date.now() - since) / 1000).toFixed(0)} s since the islands started`];
  for (const r of relays) {
    const status = await dtnStatus(r.url, 2_000).catch((err: unknown) => `status unavailable: ${String(err)}`);
    const summary = typeof status === 'string' ? status : `store ${status.store.count}, contacts ${JSON.stringify(status.contacts.map((c) => [c.peer, c.pending]))}`;
    lines.push(`relay ${r.url} (${r.child.exitCode ?? r.child.signalCode ?? 'running'}): ${summary}`, ...r.logs.slice(-BRIEF_LOG_LINES).map((l) => briefLine(l, since)));
  }
  return lines;
}

const FAST = ['--keepalive', '1', '--reconnect-ms', '300'];

/** When each bridge link moved, in seconds since the islands started: a brief's first line. */
function linkTimeline(): { moved(link: string, up: boolean): void; brief(relays: RelayProcess[]): Promise<string[]> } {
  const since = Date.now();
  const timeline: string[] = [];
  return {
    moved: (link, up) => void timeline.push(`${link} ${up ? 'up' : 'down'} at ${((Date.now() - since) / 1000).toFixed(0)} s`),
    brief: (relays) => relaysBrief(relays, since, timeline),
  };
}

async function waitContact(url: string, peer: string, up: boolean): Promise<void> {
  await expect.poll(async () => (await dtnStatus(url)).contacts.some((c) => c.peer === peer), { timeout: 20_000 }).toBe(up);
}

async function communityOf(r: RelayProcess): Promise<string> {
  return ((await (await fetch(`${r.url}/api/info`, { signal: AbortSignal.timeout(RELAY_ANSWER_MS) })).json()) as { communities: Array<{ url: string }> }).communities[0].url;
}

export interface IslandOptions {
  /** Island B serves A's community (default) or a community of its own. */
  shareCommunity?: boolean;
}

export async function islands(o: IslandOptions = {}): Promise<Islands> {
  const fallback = process.env.SPM_MESH_LOOPBACK ? 'SPM_MESH_LOOPBACK is set' : netnsUnavailable();
  if (fallback) console.log(`mesh: network namespaces unavailable (${fallback}); running the same scenario on loopback ports`);
  const join = (community: string) => (o.shareCommunity === false ? [] : ['--join', community]);
  return fallback ? loopback(fallback, join) : namespaces(join);
}

/**
 * The second octet of this worker's addresses: the phone-side links live in the test's own namespace,
 * so two mesh files running at once (two vitest workers) must not both claim 10.231.1.1/24.
 * SPM_MESH_OCTET overrides it, so a mesh file run by hand beside a full suite claims a subnet of its own.
 */
export function subnet(): number {
  const fixed = Number(process.env.SPM_MESH_OCTET);
  if (Number.isInteger(fixed) && fixed >= 1 && fixed <= 254) return fixed;
  const worker = Number(process.env.VITEST_POOL_ID ?? '1');
  return 231 + ((Number.isInteger(worker) && worker > 0 ? worker : 1) - 1) % 8;
}

async function namespaces(join: (community: string) => string[]): Promise<Islands> {
  const net = new TestNet();
  const links = linkTimeline();
  const relays: RelayProcess[] = [];
  const tag = process.pid % 1000;
  const o = subnet();
  try {
    const [nsA, nsB, nsBr] = [net.ns('a'), net.ns('b'), net.ns('br')];
    // The test reaches each relay over a link from its own namespace; phones over links from theirs.
    net.link(null, `10.${o}.1.1`, nsA, `10.${o}.1.2`, `spw${tag}a`);
    net.link(null, `10.${o}.2.1`, nsB, `10.${o}.2.2`, `spw${tag}b`);
    net.link(null, `10.${o}.3.1`, nsBr, `10.${o}.3.2`, `spw${tag}c`);
    const toA = net.link(nsBr, `10.${o}.10.1`, nsA, `10.${o}.10.2`, `spl${tag}a`);
    const toB = net.link(nsBr, `10.${o}.20.1`, nsB, `10.${o}.20.2`, `spl${tag}b`);
    net.setLink(nsBr, toA.aIf, false);
    net.setLink(nsBr, toB.aIf, false);
    const phones = phonesNetns(net, o, tag, [{ ns: nsA, host: `10.${o}.1.2` }, { ns: nsB, host: `10.${o}.2.2` }]);
    const start = async (o: Parameters<typeof startRelayProcess>[0]) => relays[relays.push(await startRelayProcess(o)) - 1];
    // B's key is made first so that the community A founds names B: B's change-sets then apply on A.
    const bKey = await presetRelayKey();
    const a = await start({ netns: nsA, host: `10.${o}.1.2`, args: ['--node-name', 'island-a', '--tcpcl-port', '4556', '--community-relay', bKey.key, ...FAST] });
    const community = await communityOf(a);
    const b = await start({ netns: nsB, host: `10.${o}.2.2`, dataDir: bKey.dataDir, args: ['--node-name', 'island-b', '--tcpcl-port', '4556', ...join(community), ...FAST] });
    const br = await start({ netns: nsBr, host: `10.${o}.3.2`, args: ['--node-name', 'bridge', '--tcpcl-port', '4556', '--peer', `10.${o}.10.2:4556`, '--peer', `10.${o}.20.2:4556`, ...FAST] });
    return {
      a,
      b,
      community,
      fallback: null,
      phoneNetns: phones.ns,
      bridgeStatusUrl: () => br.url,
      async linkA(up) {
        links.moved('A', up);
        net.setLink(nsBr, toA.aIf, up);
        await waitContact(a.url, 'dtn://bridge/', up);
      },
      async linkB(up) {
        links.moved('B', up);
        net.setLink(nsBr, toB.aIf, up);
        await waitContact(b.url, 'dtn://bridge/', up);
      },
      dataDirs: () => relays.map((r) => r.dataDir),
      report: () => reportOn(relays),
      brief: () => links.brief(relays),
      async cleanup() {
        for (const r of relays) await r.cleanup();
        await rm(bKey.dataDir, { recursive: true, force: true });
        net.destroy();
      },
    };
  } catch (err) {
    for (const r of relays) await r.cleanup().catch(() => undefined);
    net.destroy();
    throw err;
  }
}

async function loopback(fallback: string, join: (community: string) => string[]): Promise<Islands> {
  const relays: RelayProcess[] = [];
  const links = linkTimeline();
  const bKey = await presetRelayKey();
  const a = await startRelayProcess({ args: ['--node-name', 'island-a', '--community-relay', bKey.key, ...FAST] });
  relays.push(a);
  const community = await communityOf(a);
  const b = await startRelayProcess({ dataDir: bKey.dataDir, args: ['--node-name', 'island-b', ...join(community), ...FAST] });
  relays.push(b);
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'spm-bridge-'));
  let br: RelayProcess | undefined;
  const visit = async (to: RelayProcess | null) => {
    if (br) await br.stop('SIGTERM');
    br = to ? await startRelayProcess({ dataDir, args: ['--node-name', 'bridge', ...FAST, '--peer', `127.0.0.1:${(await dtnStatus(to.url)).tcpclPort}`] }) : undefined;
    if (br) relays.push(br);
  };
  return {
    a,
    b,
    community,
    fallback,
    phoneNetns: null,
    bridgeStatusUrl: () => br?.url ?? '',
    async linkA(up) {
      links.moved('A', up);
      await visit(up ? a : null);
      await waitContact(a.url, 'dtn://bridge/', up);
    },
    async linkB(up) {
      links.moved('B', up);
      await visit(up ? b : null);
      await waitContact(b.url, 'dtn://bridge/', up);
    },
    dataDirs: () => [a.dataDir, b.dataDir, dataDir],
    report: () => reportOn(relays),
    brief: () => links.brief(relays),
    async cleanup() {
      for (const r of relays) await r.cleanup().catch(() => undefined);
      await rm(bKey.dataDir, { recursive: true, force: true });
    },
  };
}

/** The relay has written every phone edit to disk and turned it into bundles. */
export async function islandIdle(url: string): Promise<void> {
  await expect
    .poll(async () => {
      const s = await relayStatus<{ unsaved: number; replication: { unemitted: number } }>(url);
      return s.unsaved + s.replication.unemitted;
    }, { timeout: 20_000 })
    .toBe(0);
}

/**
 * The bridge, linked to island `from` only, waits until that island has handed it every bundle, then
 * leaves it for the other island (linked there only). It does not link `from` first: in the loopback
 * variant linking again would restart the bridge.
 */
export async function bridgeMovesOn(t: Islands, from: 'a' | 'b'): Promise<void> {
  await handedOver(from === 'a' ? t.a.url : t.b.url);
  if (from === 'a') {
    await t.linkA(false);
    await t.linkB(true);
  } else {
    await t.linkB(false);
    await t.linkA(true);
  }
}
