import { AUDIENCES, PRIORITIES, type BundleMeta } from './types.ts';

/** Ids, sources and destinations are peer-supplied: bound them so a header stays small. */
export const MAX_TEXT_LENGTH = 4096;

function text(v: unknown): v is string {
  return typeof v === 'string' && v.length > 0 && v.length <= MAX_TEXT_LENGTH;
}

function time(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v);
}

/** Why `v` is not a BundleMeta, or undefined when it is one. */
export function metaProblem(v: unknown): string | undefined {
  if (typeof v !== 'object' || v === null) return 'meta is not an object';
  const m = v as Record<string, unknown>;
  if (!text(m.id)) return 'id must be a non-empty string of at most 4096 chars';
  if (!text(m.source)) return 'source must be a non-empty string of at most 4096 chars';
  if (!text(m.destination)) return 'destination must be a non-empty string of at most 4096 chars';
  if (!PRIORITIES.includes(m.priority as never)) return 'priority must be 0, 1, 2 or 3';
  if (!AUDIENCES.includes(m.audience as never)) return 'audience must be public, local, trusted or private';
  if (!time(m.createdAt)) return 'createdAt must be an integer (unix ms)';
  if (!time(m.expiresAt)) return 'expiresAt must be an integer (unix ms)';
  if (!Number.isSafeInteger(m.size) || (m.size as number) < 0) return 'size must be a non-negative integer';
  if (m.pinned !== undefined && typeof m.pinned !== 'boolean') return 'pinned must be a boolean';
  if (m.local !== undefined && typeof m.local !== 'boolean') return 'local must be a boolean';
  if (m.anonymous !== undefined && typeof m.anonymous !== 'boolean') return 'anonymous must be a boolean';
  return undefined;
}

/*
 * Sources and destinations repeat across the index (a few islands and group endpoints for 100,000
 * bundles), but every parsed header makes its own copy of each: one shared string per distinct value
 * keeps the index's memory near one copy of the ids. Bounded, since the values are peer-supplied.
 */
const SHARED_LIMIT = 10_000;
const shared = new Map<string, string>();

function share(s: string): string {
  const known = shared.get(s);
  if (known !== undefined) return known;
  if (shared.size < SHARED_LIMIT) shared.set(s, s);
  return s;
}

/** A copy holding only the known fields, so nothing else a caller attached ends up on disk. */
export function cleanMeta(m: BundleMeta): BundleMeta {
  const out: BundleMeta = {
    id: m.id,
    source: share(m.source),
    destination: share(m.destination),
    priority: m.priority,
    audience: m.audience,
    createdAt: m.createdAt,
    expiresAt: m.expiresAt,
    size: m.size,
  };
  if (m.pinned) out.pinned = true;
  if (m.local) out.local = true;
  if (m.anonymous) out.anonymous = true;
  return out;
}
