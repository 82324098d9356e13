import { BundleFlags, type Bundle } from './types.ts';

/**
 * Reassembly (RFC 9171 §5.9): fragments are collected by the identity of the bundle they came
 * from (source, creation timestamp); once their payloads cover the whole application data unit,
 * the bundle is rebuilt — primary block without fragment fields, extension blocks of the
 * fragment at offset 0 — and returned once. Fragments may come in any order, repeat or overlap
 * (pieces of different fragmentations): only bytes not yet held are kept, so memory per bundle
 * never exceeds its ADU length, and the limits bound it overall.
 */

export interface ReassemblyLimits {
  /** Largest ADU reassembled; fragments of a larger one are refused (a relay still forwards them). */
  readonly maxAduBytes: number;
  /** Payload bytes held across all incomplete bundles; the oldest are dropped to make room. */
  readonly maxPendingBytes: number;
  /** Incomplete bundles held at once; the oldest are dropped to make room. */
  readonly maxPendingBundles: number;
  /** Completed bundle ids remembered, so a late fragment does not deliver a bundle twice. */
  readonly rememberCompleted: number;
}

export const DEFAULT_REASSEMBLY_LIMITS: ReassemblyLimits = {
  maxAduBytes: 64 * 1024 * 1024,
  maxPendingBytes: 128 * 1024 * 1024,
  maxPendingBundles: 1024,
  rememberCompleted: 4096,
};

export type ReassemblyResult =
  | { readonly kind: 'complete'; readonly id: string; readonly bundle: Bundle }
  | { readonly kind: 'pending'; readonly id: string; readonly have: number; readonly total: number }
  /** Its bundle was already reassembled; nothing to do. */
  | { readonly kind: 'already-complete'; readonly id: string }
  | { readonly kind: 'refused'; readonly id: string; readonly reason: string };

/** A held piece of the ADU: bytes [start, start + data.length). Pieces never overlap. */
interface Piece {
  readonly start: number;
  readonly data: Uint8Array;
}

interface Pending {
  readonly total: number;
  pieces: Piece[];
  have: number;
  /** The fragment at offset 0: its primary, extension blocks and payload header rebuild the bundle. */
  first?: Bundle;
}

/** The identity every fragment of one bundle shares (bundleId without fragment fields). */
export function originalBundleId(b: Bundle): string {
  const p = b.primary;
  return `${p.source} ${p.creationTime} ${p.sequence}`;
}

export class Reassembler {
  private readonly pending = new Map<string, Pending>();
  private readonly completed = new Set<string>();
  private heldBytes = 0;

  constructor(
    private readonly limits: ReassemblyLimits = DEFAULT_REASSEMBLY_LIMITS,
    /** Told when an incomplete bundle is dropped to make room (its fragments are lost here). */
    private readonly onDropped: (id: string, reason: string) => void = () => undefined,
  ) {}

  /** Bytes held for incomplete bundles. */
  get pendingBytes(): number {
    return this.heldBytes;
  }

  get pendingBundles(): number {
    return this.pending.size;
  }

  /** Takes one fragment (a decoded, valid bundle with fragment fields). */
  add(fragment: Bundle): ReassemblyResult {
    const id = originalBundleId(fragment);
    const f = fragment.primary.fragment;
    if (!f) return { kind: 'refused', id, reason: 'not a fragment' };
    if (this.completed.has(id)) return { kind: 'already-complete', id };
    if (f.totalAduLength > this.limits.maxAduBytes) {
      return { kind: 'refused', id, reason: `ADU of ${f.totalAduLength} bytes exceeds ${this.limits.maxAduBytes}` };
    }
    let entry = this.pending.get(id);
    if (entry && entry.total !== f.totalAduLength) {
      return { kind: 'refused', id, reason: `total ADU length ${f.totalAduLength} contradicts ${entry.total} of earlier fragments` };
    }
    if (!entry) {
      entry = { total: f.totalAduLength, pieces: [], have: 0 };
      this.pending.set(id, entry);
    }
    if (f.offset === 0 && !entry.first) entry.first = fragment;
    const fresh = newPieces(entry.pieces, f.offset, fragment.payload.data);
    const added = fresh.reduce((n, p) => n + p.data.length, 0);
    if (!this.makeRoom(id, added)) {
      this.drop(id, entry);
      return { kind: 'refused', id, reason: 'reassembly memory is full' };
    }
    entry.pieces = merge(entry.pieces, fresh);
    entry.have += added;
    this.heldBytes += added;
    if (entry.have < entry.total || !entry.first) return { kind: 'pending', id, have: entry.have, total: entry.total };
    this.drop(id, entry);
    this.remember(id);
    return { kind: 'complete', id, bundle: rebuild(entry.first, entry.pieces, entry.total) };
  }

  /** Frees room for `bytes` more by dropping the oldest other incomplete bundles; false if impossible. */
  private makeRoom(id: string, bytes: number): boolean {
    const { maxPendingBytes, maxPendingBundles } = this.limits;
    // Map iteration is insertion order: the first keys are the oldest. Bounded by the map size.
    for (const [other, entry] of this.pending) {
      if (this.heldBytes + bytes <= maxPendingBytes && this.pending.size <= maxPendingBundles) return true;
      if (other === id) continue;
      this.drop(other, entry);
      this.onDropped(other, 'reassembly memory full: oldest incomplete bundle dropped');
    }
    return this.heldBytes + bytes <= maxPendingBytes && this.pending.size <= maxPendingBundles;
  }

  private drop(id: string, entry: Pending): void {
    if (this.pending.get(id) !== entry) return;
    this.pending.delete(id);
    this.heldBytes -= entry.have;
  }

  private remember(id: string): void {
    this.completed.add(id);
    if (this.completed.size > this.limits.rememberCompleted) {
      const oldest = this.completed.values().next().value as string;
      this.completed.delete(oldest);
    }
  }
}

/** The parts of [offset, offset + data.length) not covered by `held` (sorted, disjoint), as views. */
function newPieces(held: readonly Piece[], offset: number, data: Uint8Array): Piece[] {
  const out: Piece[] = [];
  let at = offset;
  const end = offset + data.length;
  for (const p of held) {
    if (at >= end) break;
    const pEnd = p.start + p.data.length;
    if (pEnd <= at) continue;
    if (p.start > at) out.push({ start: at, data: data.slice(at - offset, Math.min(p.start, end) - offset) });
    at = Math.max(at, pEnd);
  }
  if (at < end) out.push({ start: at, data: data.slice(at - offset) });
  return out;
}

function merge(a: readonly Piece[], b: readonly Piece[]): Piece[] {
  return [...a, ...b].sort((x, y) => x.start - y.start);
}

function rebuild(first: Bundle, pieces: readonly Piece[], total: number): Bundle {
  const data = new Uint8Array(total);
  for (const p of pieces) data.set(p.data, p.start);
  const { fragment: _fragment, ...primary } = first.primary;
  return {
    // Arithmetic, not `&~`: flags may pass 2^32.
    primary: { ...primary, flags: primary.flags & BundleFlags.IsFragment ? primary.flags - BundleFlags.IsFragment : primary.flags },
    extensions: first.extensions,
    payload: { ...first.payload, data },
  };
}
