/**
 * Routing benchmark (issue #19): what choosing a scheme per peer costs on every pass over the store.
 * A pump lists the store through its router's filter once per pass; this measures that filter alone
 * (the router's `where` and `exclude`, no store) per held bundle, for each scheme (spray-and-wait and
 * PRoPHET as `--route spray|prophet` run them), over a store shaped
 * like a relay's (change-sets, library chunks with one endpoint each, messages to other nodes), with and
 * without static routes.
 * - routing.filterNsPerBundle: nanoseconds per bundle per pass, by scheme and route count, beside the
 *   epidemic router alone (what every pass cost before). Compare rows of one run: on a loaded machine
 *   the absolute figures swing several-fold.
 * Run directly (`node --import tsx bench/routing.ts`) to print JSON lines, or import `run()`.
 */
import type { Contact } from '../relay/dtn/contact.ts';
import { EpidemicRouter } from '../relay/dtn/routing/epidemic.ts';
import { PerPeerRouter, type Scheme } from '../relay/dtn/routing/per-peer.ts';
import type { Router } from '../relay/dtn/routing/router.ts';
import { encodeAnnounce } from '../relay/dtn/routing/routing-announce.ts';
import { encodeSummary } from '../relay/dtn/routing/summary-vector.ts';
import { parseRoute } from '../relay/dtn/routing/static-routes.ts';
import type { BundleMeta } from '../relay/dtn/store/index.ts';
import type { TcpclSession } from '../relay/dtn/tcpcl/index.ts';
import { printWhenRunDirectly } from './lib/print-when-run-directly.ts';
import type { BenchRow } from './lib/row.ts';

const BUNDLES = Number(process.env.BENCH_ROUTING_BUNDLES ?? 100_000);
const PASSES = 5;

function held(n: number): BundleMeta[] {
  return Array.from({ length: n }, (_, i): BundleMeta => {
    const kind = i % 3;
    const destination = kind === 0 ? `dtn://community${i % 20}/~changes` : kind === 1 ? `dtn://library/~chunk/${i.toString(16).padStart(64, '0')}` : `dtn://node${i % 500}/inbox`;
    return { id: `dtn://src${i % 50}/ ${i} 0`, source: `dtn://src${i % 50}/`, destination, priority: 2, audience: 'public', createdAt: 0, expiresAt: 1, size: 1000 };
  });
}

let sink = 0;

function measure(store: BundleMeta[], scheme: Scheme | 'epidemic-alone', routes: number): BenchRow {
  // The baseline: the summary router the node ran alone before routing was chosen per peer.
  const r: Router = scheme === 'epidemic-alone' ? new EpidemicRouter({ ids: () => [] }) : new PerPeerRouter(
    { ids: () => [], has: () => true, list: () => store },
    {
      routes: Array.from({ length: routes }, (_, i) => parseRoute(`dtn://node${i}/*=dtn://gateway/`)),
      overrides: new Map([['dtn://peer/', scheme]]),
      summaryWaitMs: 60_000,
      wake: () => undefined,
      nodeId: 'dtn://here/',
      serves: () => ['dtn://community1/'],
    },
  );
  const c: Contact = { session: {} as TcpclSession, peer: 'dtn://peer/', services: 'dtn://peer/', since: 0, bundlesIn: 0, bundlesOut: 0, unacked: 0 };
  r.contactUp(c);
  // Each scheme's own announce, so spray and PRoPHET are measured, not an epidemic fallback.
  r.onRouting(c, scheme === 'spray' || scheme === 'prophet' ? encodeAnnounce(scheme, { ids: [], serves: ['dtn://community2/'], table: [] }) : encodeSummary([]));
  const offer = r.offer(c)!;
  for (const m of store) if (offer.where?.(m)) sink++; // warm-up pass: compiled code, filled memos
  const started = performance.now();
  for (let p = 0; p < PASSES; p++) for (const m of store) if (!offer.exclude?.has(m.id) && (offer.where?.(m) ?? true)) sink++;
  const ms = performance.now() - started;
  r.contactDown(c);
  return { name: 'routing.filterNsPerBundle', value: Math.round((ms * 1e6) / (PASSES * store.length)), unit: 'ns/bundle', scheme, routes, bundles: store.length };
}

export async function run(): Promise<BenchRow[]> {
  const store = held(BUNDLES);
  const rows: BenchRow[] = [];
  rows.push(measure(store, 'epidemic-alone', 0));
  for (const scheme of ['summary', 'push', 'direct', 'spray', 'prophet'] as const) for (const routes of [0, 50]) rows.push(measure(store, scheme, routes));
  if (sink === -1) console.log('unreachable');
  return rows;
}

await printWhenRunDirectly(import.meta.url, run);
