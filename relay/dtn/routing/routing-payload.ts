import { decode } from 'cbor2';
import { announceOf, validCopies, validPredictability, type RoutingAnnounce } from './routing-announce.ts';
import { isSketchKind, sketchOf, type SketchMessage } from './sketch.ts';
import { readsSketches, summaryOf, SummaryError } from './summary-vector.ts';

/**
 * A bundle for our routing endpoint, whichever router the peer runs: a summary vector or a sketch
 * message (epidemic), or a spray / PRoPHET announce. Every kind but the sketches carries the ids the
 * peer holds, so a peer running another router than ours can still be routed epidemically from its
 * announce (per-peer.ts). Decoded once; throws SummaryError on anything else.
 */
export type RoutingPayload = { kind: 'summary'; ids: Set<string>; sketches: boolean } | ({ kind: 'spray' | 'prophet' } & RoutingAnnounce) | SketchMessage;

export function decodeRoutingPayload(bytes: Uint8Array): RoutingPayload {
  let v: unknown;
  try {
    v = decode(bytes);
  } catch (e) {
    throw new SummaryError(`routing payload is not CBOR: ${String(e).slice(0, 100)}`);
  }
  const t = typeof v === 'object' && v !== null ? (v as { t?: unknown }).t : undefined;
  if (t === 'summary') return { kind: 'summary', ids: summaryOf(v), sketches: readsSketches(v) };
  if (t === 'spray') return { kind: 'spray', ...announceOf('spray', v, validCopies) };
  if (t === 'prophet') return { kind: 'prophet', ...announceOf('prophet', v, validPredictability) };
  if (isSketchKind(t)) return sketchOf(v);
  throw new SummaryError('not a routing payload (summary, sketch, spray or prophet)');
}
