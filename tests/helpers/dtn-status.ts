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

export async function dtnStatus(relayUrl: string): Promise<DtnStatus> {
  const res = await fetch(`${relayUrl}/api/status`);
  return ((await res.json()) as { dtn: DtnStatus }).dtn;
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
