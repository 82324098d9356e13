/**
 * What two relays send each other on contact to learn which bundles the other lacks (issue #20): set
 * reconciliation (relay/dtn/routing/sketch.ts over riblt.ts), beside the summary vector of every id held
 * that relays sent before, measured in the same run over the same stores. Each relay holds HELD bundles
 * (ids shaped as relays make them) and DIFF of them differ (half only on each side). The real epidemic
 * routers run the exchange; their routing messages are handed across in memory, in order.
 * - contact.summaryBytes: bytes both relays sent until each knew what the other lacks (target ≤ 20 KB at
 *   100,000 held and 100 differing), beside `idListBytes` (both summary vectors) and their ratio;
 * - contact.reconcileMs: CPU time of that exchange (both routers: hashing, coding, peeling), beside
 *   `idListMs` (encoding and decoding both summary vectors).
 * Run directly (`node --import tsx bench/contact-summary.ts`) to print JSON lines, or import `run()`.
 */
import type { Contact } from '../relay/dtn/contact.ts';
import { EpidemicRouter } from '../relay/dtn/routing/epidemic.ts';
import { decodeSummary, encodeSummary } from '../relay/dtn/routing/summary-vector.ts';
import type { TcpclSession } from '../relay/dtn/tcpcl/index.ts';
import { printWhenRunDirectly } from './lib/print-when-run-directly.ts';
import type { BenchRow } from './lib/row.ts';

const HELD = Number(process.env.BENCH_CONTACT_HELD ?? 100_000);
const DIFFS = [100, 1_000, 10_000];
const TARGET_BYTES = 20_000;

const contact = (peer: string): Contact => ({ session: {} as TcpclSession, peer, services: peer, since: 0, bundlesIn: 0, bundlesOut: 0, unacked: 0 });

/** Ids as relays make them: source node, creation time, sequence. */
function ids(prefix: string, n: number, t0: number): string[] {
  return Array.from({ length: n }, (_, i) => `dtn://${prefix}/ ${t0 + Math.floor(i / 7)} ${i % 7}`);
}

function exchange(idsA: string[], idsB: string[]): { bytes: number; messages: number; ms: number; knownA: number; knownB: number } {
  const queue: Array<() => void> = [];
  let bytes = 0;
  let messages = 0;
  const ca = contact('dtn://b/');
  const cb = contact('dtn://a/');
  const sendTo = (to: () => EpidemicRouter, c: Contact) => (_c: Contact, p: Uint8Array) => {
    bytes += p.length;
    messages++;
    queue.push(() => void to().onRouting(c, p));
  };
  const t0 = performance.now();
  const a: EpidemicRouter = new EpidemicRouter({ ids: () => idsA }, { send: sendTo(() => b, cb) });
  const b: EpidemicRouter = new EpidemicRouter({ ids: () => idsB }, { send: sendTo(() => a, ca) });
  for (const [from, c, to, back] of [[a, ca, () => b, cb], [b, cb, () => a, ca]] as const) {
    const announce = from.contactUp(c).announce!;
    sendTo(to, back)(c, announce);
  }
  for (let turns = 0; queue.length > 0 && turns < 10_000; turns++) queue.shift()!();
  const ms = performance.now() - t0;
  const known = (r: EpidemicRouter, c: Contact) => (r.offer(c)?.exclude?.size ?? -1);
  return { bytes, messages, ms, knownA: known(a, ca), knownB: known(b, cb) };
}

export async function run(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const common = ids('common', HELD, 1_733_500_000_000);
  for (const diff of DIFFS) {
    const idsA = [...common.slice(diff / 2), ...ids('only-a', diff / 2, 1_733_600_000_000)];
    const idsB = [...common.slice(diff / 2), ...ids('only-b', diff / 2, 1_733_700_000_000)];
    // Same stores, the summary vectors relays sent before: both encoded and both decoded.
    const t0 = performance.now();
    const lists = [encodeSummary(idsA), encodeSummary(idsB)];
    for (const l of lists) decodeSummary(l);
    const idListMs = performance.now() - t0;
    const idListBytes = lists[0]!.length + lists[1]!.length;
    const r = exchange(idsA, idsB);
    if (r.knownA !== HELD - diff / 2 || r.knownB !== HELD - diff / 2) throw new Error(`reconciliation did not agree: ${r.knownA}, ${r.knownB}`);
    const ctx = { held: HELD, differing: diff, messages: r.messages };
    rows.push(
      { name: 'contact.summaryBytes', value: r.bytes, unit: 'B', ...ctx, idListBytes, ratio: Math.round((r.bytes / idListBytes) * 10_000) / 10_000, ...(diff === 100 ? { target: TARGET_BYTES, pass: r.bytes <= TARGET_BYTES } : {}) },
      { name: 'contact.reconcileMs', value: Math.round(r.ms), unit: 'ms', ...ctx, idListMs: Math.round(idListMs), ratio: Math.round((r.ms / idListMs) * 100) / 100 },
    );
  }
  return rows;
}

await printWhenRunDirectly(import.meta.url, run);
