/**
 * Real relay processes for the bridge benchmark: islands, a bridge that visits one island at a time
 * (restarted on the same data dir with `--peer` pointing at that island only), and status polling.
 */
import { startRelayProcess, type RelayProcess } from '../../tests/helpers/relay-process.ts';
import type { DtnStatus } from '../../tests/helpers/dtn-status.ts';

const FAST = ['--keepalive', '1', '--reconnect-ms', '200'];
const POLL_MS = 50;

export interface RelayStatus {
  unsaved: number;
  dtn: DtnStatus;
  replication: { unemitted: number; waiting: number };
}

/**
 * A relay busy with a large sync can close an idle keep-alive connection just as a request reuses it
 * ("other side closed"), so a failed fetch is tried again a few times before it counts.
 */
export async function status(r: RelayProcess): Promise<RelayStatus> {
  for (let attempt = 1; ; attempt++) {
    try {
      const res = await fetch(`${r.url}/api/status`);
      if (!res.ok) throw new Error(`${r.url}/api/status answered ${res.status}`);
      return (await res.json()) as RelayStatus;
    } catch (err) {
      if (attempt >= 5 || r.child.exitCode !== null || r.child.signalCode !== null) throw err;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/** Polls until `check` gives a value (not undefined) or the deadline passes. */
export async function waitFor<T>(what: string, timeoutMs: number, check: () => Promise<T | undefined>): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/** Quiet logs (BENCH_BRIDGE_LOG=info to see contacts): debug logging of every change-set would be measured too. */
export function startRelay(name: string, args: string[] = [], dataDir?: string, env: Record<string, string> = {}): Promise<RelayProcess> {
  return startRelayProcess({ dataDir, env: { LOG_LEVEL: process.env.BENCH_BRIDGE_LOG ?? 'warn', ...env }, args: ['--node-name', name, ...FAST, ...args] });
}

export async function tcpclAddress(r: RelayProcess): Promise<string> {
  return `127.0.0.1:${(await status(r)).dtn.tcpclPort}`;
}

/** Nothing left to save or to turn into change-sets, and the store has stopped growing. */
export async function waitIdle(r: RelayProcess, timeoutMs: number): Promise<RelayStatus> {
  let last = -1;
  let stableSince = 0;
  return waitFor(`${r.url} to be idle`, timeoutMs, async () => {
    const s = await status(r);
    const busy = s.unsaved + s.replication.unemitted + s.replication.waiting > 0;
    if (busy || s.dtn.store.count !== last) {
      last = s.dtn.store.count;
      stableSince = performance.now();
      return undefined;
    }
    return performance.now() - stableSince >= 500 ? s : undefined;
  });
}

/** The bridge's live contact record with `peerNode` (its TCPCL byte counters), if the contact is up. */
export async function contactWith(bridge: RelayProcess, peerNode: string): Promise<DtnStatus['contacts'][number] | undefined> {
  return (await status(bridge)).dtn.contacts.find((c) => c.peer === peerNode);
}
