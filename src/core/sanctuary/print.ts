import type { SanctuaryKind } from './types.ts';
import type { VisibleEntry } from './visible.ts';

const DAY = 24 * 60 * 60 * 1000;
export const DEFAULT_PRINT_VALID_DAYS = 7;
export const MAX_PRINT_VALID_DAYS = 30;

export interface PrintOptions {
  area?: string;
  kind?: SanctuaryKind;
  /** Exact addresses are left off unless asked for, and then the sheet says so. */
  includeAddresses?: boolean;
  now: number;
  validDays?: number;
}

export interface PrintRow {
  id: string;
  kind: SanctuaryKind;
  title: string;
  area: string;
  capacity: number;
  languages: string[];
  accessibility: string[];
  contactMethod: string;
  notes: string;
  verified: boolean;
  lastCheckIn: number | null;
  /** When the entry itself expires (may be before the sheet does). */
  entryExpires: number;
  /** Present only with includeAddresses. */
  address?: string;
}

export interface PrintSheet {
  printed: number;
  /** After this the sheet is out of date; the notice tells people to destroy it. */
  expires: number;
  /** i18n key of the "destroy after {date}" notice printed on every page. */
  destroyAfterKey: 'sanctuary.print.destroyAfter';
  /** i18n key of the extra warning when exact addresses are printed, else null. */
  addressWarningKey: 'sanctuary.print.containsAddresses' | null;
  filters: { area: string | null; kind: SanctuaryKind | null };
  rows: PrintRow[];
}

/**
 * A printable sanctuary list (pure data; the PWA renders it). Only entries still current at `now`.
 * The caller has checked can(ctx, me, 'print-sanctuary').
 */
export function printList(entries: readonly VisibleEntry[], opts: PrintOptions): PrintSheet {
  const days = opts.validDays ?? DEFAULT_PRINT_VALID_DAYS;
  if (!Number.isInteger(days) || days < 1 || days > MAX_PRINT_VALID_DAYS) throw new RangeError(`validDays must be 1..${MAX_PRINT_VALID_DAYS}`);
  const withAddress = opts.includeAddresses === true;
  const rows = entries
    .filter((e) => e.entry.expires > opts.now && (!opts.area || e.entry.area === opts.area) && (!opts.kind || e.entry.kind === opts.kind))
    .map((e) => rowOf(e, withAddress));
  return {
    printed: opts.now,
    expires: opts.now + days * DAY,
    destroyAfterKey: 'sanctuary.print.destroyAfter',
    addressWarningKey: withAddress && rows.some((r) => r.address !== undefined) ? 'sanctuary.print.containsAddresses' : null,
    filters: { area: opts.area ?? null, kind: opts.kind ?? null },
    rows,
  };
}

function rowOf(e: VisibleEntry, withAddress: boolean): PrintRow {
  const p = e.entry;
  const row: PrintRow = {
    id: e.id,
    kind: p.kind,
    title: p.title,
    area: p.area,
    capacity: p.capacity,
    languages: [...p.languages],
    accessibility: [...p.accessibility],
    contactMethod: p.contactMethod,
    notes: p.notes,
    verified: e.verified,
    lastCheckIn: e.lastCheckIn,
    entryExpires: p.expires,
  };
  if (withAddress && p.address !== undefined) row.address = p.address;
  return row;
}
