/**
 * Relay ingest over TCPCLv4 on loopback: valid 1 KiB bundles for a group the relay does not serve,
 * so it only takes custody (durable write, then XFER_ACK) and carries them.
 */
import { createBundle, encodeBundle } from '../../src/core/dtn/index.ts';
import { connectTcpcl, type TcpclSession } from '../../relay/dtn/tcpcl/index.ts';

export const BENCH_SOURCE = 'dtn://bench/';
const DESTINATION = 'dtn://benchgroup/~changes';

/** Encoded bundles with distinct sequence numbers starting at `firstSeq` (so every id is new). */
export function makeBundles(n: number, firstSeq: number, payloadBytes = 1024): Uint8Array[] {
  const creationTimeMs = Date.now();
  return Array.from({ length: n }, (_, i) => {
    const payload = new Uint8Array(payloadBytes);
    for (let k = 0; k < payload.length; k++) payload[k] = (i * 131 + k * 7) & 0xff;
    return encodeBundle(createBundle({ source: BENCH_SOURCE, destination: DESTINATION, payload, lifetimeMs: 3_600_000, creationTimeMs, sequence: firstSeq + i }));
  });
}

export interface IngestResult {
  sent: number;
  ms: number;
  bundlesPerSec: number;
}

/**
 * Sends `bundles` split over `sessions` TCPCL sessions, each keeping up to `inFlight` transfers
 * unacknowledged (1 = wait for each ack before the next transfer; a relay's own pump keeps 64).
 * Only acknowledged transfers count as sent. Stops starting new transfers once `budgetMs` has passed,
 * so a slow relay cannot stall the benchmark.
 */
export async function ingest(host: string, port: number, bundles: Uint8Array[], sessions: number, budgetMs: number, inFlight = 1): Promise<IngestResult> {
  const open: TcpclSession[] = [];
  try {
    for (let s = 0; s < sessions; s++) {
      open.push(await connectTcpcl({ nodeId: `dtn://bench-${s + 1}/`, host, port, keepaliveSec: 0, maxInFlight: inFlight, onBundle: async () => {} }));
    }
    let sent = 0;
    const start = performance.now();
    const deadline = start + budgetMs;
    await Promise.all(
      open.map(async (session, s) => {
        const pending = new Set<Promise<void>>();
        for (let i = s; i < bundles.length; i += sessions) {
          if (performance.now() > deadline) break;
          const p: Promise<void> = session.sendBundle(bundles[i]).then(() => {
            sent++;
            pending.delete(p);
          });
          pending.add(p);
          if (pending.size >= inFlight) await Promise.race(pending);
        }
        await Promise.all(pending);
      }),
    );
    const ms = performance.now() - start;
    return { sent, ms, bundlesPerSec: Math.round((sent / ms) * 1000) };
  } finally {
    await Promise.all(open.map((s) => s.close().catch(() => undefined)));
  }
}
