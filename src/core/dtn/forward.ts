import { extensionOf, isExpired, nextBlockNumber, withExtension } from './accessors.ts';
import { parseEid } from './eid.ts';
import { BundleError } from './errors.ts';
import type { Bundle, BundleAgeBlock, HopCountBlock, PreviousNodeBlock } from './types.ts';

export type ForwardResult =
  | { readonly ok: true; readonly bundle: Bundle }
  | { readonly ok: false; readonly reason: 'expired' | 'hop-limit-exceeded' };

export interface ForwardOptions {
  /** This node's ID, e.g. 'dtn://relay-a/'; becomes the previous node. */
  readonly localNode: string;
  /** Time the bundle spent at this node, added to its age. */
  readonly dwellMs: number;
  /** When given, the creation-time expiry test is applied too. */
  readonly nowUnixMs?: number;
}

/**
 * The updates RFC 9171 §5.4 asks of a forwarding node: age += dwell, hop count += 1, previous
 * node := this node. Refuses (without changing anything) a bundle that has expired or whose hop
 * count would exceed its limit.
 */
export function prepareForForward(b: Bundle, opts: ForwardOptions): ForwardResult {
  parseEid(opts.localNode);
  if (!Number.isSafeInteger(opts.dwellMs) || opts.dwellMs < 0) {
    throw new BundleError('invalid-field', `dwellMs must be a non-negative integer, got ${opts.dwellMs}`);
  }
  if (opts.nowUnixMs !== undefined && isExpired(b, opts.nowUnixMs, opts.dwellMs)) return { ok: false, reason: 'expired' };
  let out = b;
  const age: BundleAgeBlock | undefined = extensionOf(b, 'bundle-age');
  if (age) {
    if (age.ageMs + opts.dwellMs > b.primary.lifetimeMs) return { ok: false, reason: 'expired' };
    out = withExtension(out, { ...age, ageMs: age.ageMs + opts.dwellMs });
  }
  const hops: HopCountBlock | undefined = extensionOf(b, 'hop-count');
  if (hops) {
    if (hops.count + 1 > hops.limit) return { ok: false, reason: 'hop-limit-exceeded' };
    out = withExtension(out, { ...hops, count: hops.count + 1 });
  }
  return { ok: true, bundle: withPreviousNode(out, opts.localNode) };
}

function withPreviousNode(b: Bundle, node: string): Bundle {
  const prev: PreviousNodeBlock | undefined = extensionOf(b, 'previous-node');
  const crcType = extensionOf(b, 'bundle-age')?.crcType ?? b.payload.crcType;
  const block: PreviousNodeBlock = prev ? { ...prev, node } : { kind: 'previous-node', number: nextBlockNumber(b), flags: 0, crcType, node };
  return withExtension(b, block);
}
