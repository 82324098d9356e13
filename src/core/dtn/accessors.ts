import { DEFAULT_AUDIENCE, DEFAULT_PRIORITY, type Audience, type Priority } from './mesh-metadata.ts';
import { unixToDtnMs } from './time.ts';
import type { Bundle, ExtensionBlock, HopCountBlock } from './types.ts';

/** Reading and replacing the extension blocks relays care about. */

type BlockOfKind<K extends ExtensionBlock['kind']> = Extract<ExtensionBlock, { kind: K }>;

export function extensionOf<K extends ExtensionBlock['kind']>(b: Bundle, kind: K): BlockOfKind<K> | undefined {
  return b.extensions.find((e): e is BlockOfKind<K> => e.kind === kind);
}

export function ageOf(b: Bundle): number | undefined {
  return extensionOf(b, 'bundle-age')?.ageMs;
}

export function hopCountOf(b: Bundle): { limit: number; count: number } | undefined {
  const h: HopCountBlock | undefined = extensionOf(b, 'hop-count');
  return h && { limit: h.limit, count: h.count };
}

export function previousNodeOf(b: Bundle): string | undefined {
  return extensionOf(b, 'previous-node')?.node;
}

export function priorityOf(b: Bundle): Priority {
  return extensionOf(b, 'mesh-metadata')?.priority ?? DEFAULT_PRIORITY;
}

export function audienceOf(b: Bundle): Audience {
  return extensionOf(b, 'mesh-metadata')?.audience ?? DEFAULT_AUDIENCE;
}

/**
 * Expired when the creation time says so (if the source had a clock) or when the bundle age plus
 * the time spent here since receipt exceeds the lifetime. A node whose clock is badly wrong
 * misjudges the first test; the age test does not depend on clocks.
 */
export function isExpired(b: Bundle, nowUnixMs: number, dwellMs = 0): boolean {
  const p = b.primary;
  if (p.creationTime !== 0 && unixToDtnMs(nowUnixMs) - p.creationTime > p.lifetimeMs) return true;
  const age = ageOf(b);
  return age !== undefined && age + dwellMs > p.lifetimeMs;
}

/** Replaces (or appends) the first extension block of the same kind. */
export function withExtension(b: Bundle, block: ExtensionBlock): Bundle {
  const i = b.extensions.findIndex((e) => e.kind === block.kind && block.kind !== 'unknown');
  const extensions = i < 0 ? [...b.extensions, block] : b.extensions.map((e, j) => (j === i ? block : e));
  return { ...b, extensions };
}

export function nextBlockNumber(b: Bundle): number {
  return b.extensions.reduce((max, e) => Math.max(max, e.number), 1) + 1;
}
