import { expect } from 'vitest';
export interface DtnStatus {
  node: string;
  tcpclPort: number;
  /** The routing scheme chosen per live peer (relay/dtn/routing/per-peer.ts) and the configured routes. */
  routing: {
    router: string;
    default: string;
    peers: Array<{ peer: string; scheme: string; why: string }>;
    routes: Array<{ pattern: string; via: string }>;
    /** With `--route prophet`: delivery predictability per endpoint (RFC 6693). */
    predictabilities?: Record<string, number>;
  };
  contacts: Array<{ peer: string; routing: string; tls: boolean; authenticated: boolean; since: number; bundlesIn: number; bundlesOut: number; bytesIn: number; bytesOut: number; pending: number | null }>;
  lastContact: { peer: string; up: boolean; bundlesIn: number; bundlesOut: number; changesApplied: number } | null;
  peersSeen: string[];
  /** Changes applied per peer, summed over the remembered contacts with it. */
  changesAppliedFrom: Record<string, number>;
  /** `local`: bundles this relay made itself (its own change-sets, summaries), beside those it received. */
  store: { count: number; bytes: number; local: { count: number; bytes: number } };
}

/**
 * How long a test waits for one answer from a relay. Node's fetch waits 300 s for headers, and a poll
 * cannot end while its call runs: a relay that took a request and never answered could hold a mesh
 * scenario until its 600 s limit (one did time out at stop 39, cause unknown). Bounded, the request fails
 * inside the poll that made it, and the failure names the relay.
 */
export const RELAY_ANSWER_MS = 20_000;

/** A relay's whole /api/status. */
export async function relayStatus<T>(relayUrl: string, timeoutMs = RELAY_ANSWER_MS): Promise<T> {
  const res = await fetch(`${relayUrl}/api/status`, { signal: AbortSignal.timeout(timeoutMs) });
  return (await res.json()) as T;
}

export async function dtnStatus(relayUrl: string, timeoutMs = RELAY_ANSWER_MS): Promise<DtnStatus> {
  return (await relayStatus<{ dtn: DtnStatus }>(relayUrl, timeoutMs)).dtn;
}

/**
 * The relay at `relayUrl` is in contact with `peer` and has handed it every bundle it may (the peer
 * acknowledged them, so holds them on disk). A store count on the peer cannot say this: a bridge that
 * visited before already holds more bundles than the island, whichever were new.
 */
export async function handedOver(relayUrl: string, peer = 'dtn://bridge/', timeout = 30_000): Promise<void> {
  await expect
    .poll(async () => (await dtnStatus(relayUrl)).contacts.find((c) => c.peer === peer)?.pending, { timeout })
    .toBe(0);
}
