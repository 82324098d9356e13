import { SANCTUARY_KINDS, type SanctuaryEntryPlain, type SanctuaryKind } from './types.ts';

export const ENTRY_LIMITS = {
  title: 120,
  notes: 2000,
  contactMethod: 300,
  address: 300,
  area: 64,
  tag: 40,
  tags: 12,
  capacity: 10_000,
} as const;

/**
 * Plaintexts are padded with spaces (which JSON.parse ignores) to a power of two of at least this many
 * bytes, so the ciphertext length tells a relay little (not whether a typical entry has an address).
 * 1,024 since the box holds the writer's signed content (id, times, author and signature: ~250 bytes
 * more), which put a typical entry with an address just over 512 and one without just under.
 */
export const PAD_MIN = 1024;

export function paddedLength(n: number): number {
  let size = PAD_MIN;
  while (size < n) size *= 2;
  return size;
}

/** Error key (i18n) for the first problem of a would-be entry, or null. Total: never throws. */
export function entryProblem(v: unknown): string | null {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return 'sanctuary.error.notEntry';
  const e = v as Record<string, unknown>;
  if (!SANCTUARY_KINDS.includes(e.kind as SanctuaryKind)) return 'sanctuary.error.badKind';
  if (!text(e.title, ENTRY_LIMITS.title, true)) return 'sanctuary.error.badTitle';
  if (!isCount(e.capacity)) return 'sanctuary.error.badCapacity';
  if (!tags(e.languages) || !tags(e.accessibility)) return 'sanctuary.error.badTags';
  if (!text(e.area, ENTRY_LIMITS.area, true)) return 'sanctuary.error.badArea';
  if (!text(e.contactMethod, ENTRY_LIMITS.contactMethod, true)) return 'sanctuary.error.badContact';
  if (e.address !== undefined && !text(e.address, ENTRY_LIMITS.address, true)) return 'sanctuary.error.badAddress';
  if (!text(e.notes, ENTRY_LIMITS.notes, false)) return 'sanctuary.error.badNotes';
  if (typeof e.expires !== 'number' || !Number.isSafeInteger(e.expires) || e.expires < 0) return 'sanctuary.error.badExpiry';
  const known = new Set(['kind', 'title', 'capacity', 'languages', 'accessibility', 'area', 'contactMethod', 'address', 'notes', 'expires']);
  if (Object.keys(e).some((k) => !known.has(k))) return 'sanctuary.error.unknownField';
  return null;
}

function text(v: unknown, max: number, required: boolean): boolean {
  return typeof v === 'string' && v.length <= max && (!required || v.trim() !== '');
}

function isCount(v: unknown): boolean {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 && v <= ENTRY_LIMITS.capacity;
}

function tags(v: unknown): boolean {
  return Array.isArray(v) && v.length <= ENTRY_LIMITS.tags && v.every((t) => text(t, ENTRY_LIMITS.tag, true));
}

/** Only the known fields, in a fixed shape (no `address: undefined`, which Automerge and JSON drop). */
export function normaliseEntry(e: SanctuaryEntryPlain): SanctuaryEntryPlain {
  const out: SanctuaryEntryPlain = {
    kind: e.kind,
    title: e.title,
    capacity: e.capacity,
    languages: [...e.languages],
    accessibility: [...e.accessibility],
    area: e.area,
    contactMethod: e.contactMethod,
    notes: e.notes,
    expires: e.expires,
  };
  if (e.address !== undefined) out.address = e.address;
  return out;
}
