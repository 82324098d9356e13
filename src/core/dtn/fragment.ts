import { primaryBlockHasBib } from './bib.ts';
import { CrcType } from './crc.ts';
import { BundleError } from './errors.ts';
import { BlockFlags, BundleFlags, type Bundle, type ExtensionBlock } from './types.ts';
import { validateBundle } from './validate.ts';

/**
 * Fragmentation (RFC 9171 §5.8): the payload is cut into consecutive pieces, each carried by a
 * bundle whose primary block is the original's plus the is-fragment flag, the piece's offset in the
 * whole application data unit and that unit's total length. The fragment at offset 0 carries every
 * extension block; the others only the blocks flagged "replicate in every fragment". A fragment can
 * be fragmented again: offsets stay relative to the whole ADU.
 */

/** Splits at the given payload positions (strictly inside the payload, any order). */
export function fragmentAt(b: Bundle, cuts: readonly number[]): Bundle[] {
  const p = b.primary;
  if (p.flags & BundleFlags.MustNotFragment) throw new BundleError('bad-flags', 'the bundle must not be fragmented');
  const length = b.payload.data.length;
  const points = [...new Set(cuts)].sort((x, y) => x - y);
  for (const c of points) {
    if (!Number.isSafeInteger(c) || c <= 0 || c >= length) {
      throw new BundleError('invalid-field', `cut ${c} is not strictly inside a payload of ${length} bytes`);
    }
  }
  if (points.length === 0) return [b];
  const base = p.fragment?.offset ?? 0;
  const totalAduLength = p.fragment?.totalAduLength ?? length;
  const flags = p.flags & BundleFlags.IsFragment ? p.flags : p.flags + BundleFlags.IsFragment; // flags may pass 2^32
  const bounds = [0, ...points, length];
  const out: Bundle[] = [];
  for (let i = 0; i + 1 < bounds.length; i++) {
    const offset = base + bounds[i];
    const extensions: readonly ExtensionBlock[] = offset === 0 ? b.extensions : b.extensions.filter((e) => replicated(e, p.creationTime));
    const piece: Bundle = {
      primary: { ...p, flags, fragment: { offset, totalAduLength } },
      extensions,
      payload: { ...b.payload, data: b.payload.data.slice(bounds[i], bounds[i + 1]) },
    };
    // A primary block protected only by a BIB loses it in fragments that do not carry the BIB:
    // such a fragment's primary block gets a CRC of its own.
    const fragment = p.crcType === CrcType.None && !primaryBlockHasBib(piece) ? { ...piece, primary: { ...piece.primary, crcType: CrcType.Crc32c } } : piece;
    validateBundle(fragment);
    out.push(fragment);
  }
  return out;
}

/**
 * Blocks every fragment carries: those flagged so, and the bundle age when the source had no
 * clock — without it a fragment is not a valid bundle (RFC 9171 §4.2.6: creation time 0 needs a
 * bundle age) and could not be judged expired.
 */
export function replicated(e: ExtensionBlock, creationTime: number): boolean {
  return (e.flags & BlockFlags.ReplicateInFragments) !== 0 || (creationTime === 0 && e.kind === 'bundle-age');
}

/** Splits into pieces of at most `maxPayloadBytes` payload bytes each. */
export function fragmentBundle(b: Bundle, maxPayloadBytes: number): Bundle[] {
  if (!Number.isSafeInteger(maxPayloadBytes) || maxPayloadBytes < 1) {
    throw new BundleError('invalid-field', `fragment size must be a positive integer, got ${maxPayloadBytes}`);
  }
  const cuts: number[] = [];
  for (let at = maxPayloadBytes; at < b.payload.data.length; at += maxPayloadBytes) cuts.push(at);
  return fragmentAt(b, cuts);
}
