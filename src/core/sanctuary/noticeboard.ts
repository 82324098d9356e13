import { byNewest, isCurrent } from '../model/query.ts';
import type { Intent, Measure } from '../model/types.ts';

const DAY = 24 * 60 * 60 * 1000;
/** Printed notes are cut to this many characters; a noticeboard is for a glance. */
export const NOTICE_NOTE_CHARS = 280;
export const DEFAULT_NOTICE_ROWS = 40;

export interface NoticeRow {
  id: string;
  title: string;
  note: string;
  category: string;
  area: string | null;
  quantity: Measure | null;
  /** End of availability or expiry, whichever comes first; null if open-ended. */
  until: number | null;
}

export interface Noticeboard {
  printed: number;
  expires: number;
  destroyAfterKey: 'noticeboard.print.destroyAfter';
  filters: { area: string | null; category: string | null };
  offers: NoticeRow[];
  needs: NoticeRow[];
}

export interface NoticeOptions {
  now: number;
  area?: string;
  category?: string;
  validDays?: number;
  /** Per column (offers, needs). */
  maxRows?: number;
}

/**
 * A printable board of current public offers and needs (pure data). Only `audience: 'public'`, open,
 * unexpired intents; no author ids are printed (people reply through the app or the community space).
 * The caller passes intents it already accepted (signature, trust gate).
 */
export function noticeboard(intents: readonly Intent[], opts: NoticeOptions): Noticeboard {
  const days = opts.validDays ?? 7;
  if (!Number.isInteger(days) || days < 1 || days > 30) throw new RangeError('validDays must be 1..30');
  const max = opts.maxRows ?? DEFAULT_NOTICE_ROWS;
  const shown = intents
    .filter((i) => i.audience === 'public' && isCurrent(i, opts.now))
    .filter((i) => (!opts.area || i.atLocation === opts.area) && (!opts.category || i.resourceConformsTo === opts.category))
    .sort(byNewest);
  const column = (kind: Intent['kind']) => shown.filter((i) => i.kind === kind).slice(0, max).map(rowOf);
  return {
    printed: opts.now,
    expires: opts.now + days * DAY,
    destroyAfterKey: 'noticeboard.print.destroyAfter',
    filters: { area: opts.area ?? null, category: opts.category ?? null },
    offers: column('offer'),
    needs: column('need'),
  };
}

function rowOf(i: Intent): NoticeRow {
  const ends = [i.hasEnd, i.expires].filter((t): t is number => typeof t === 'number');
  return {
    id: i.id,
    title: i.name,
    note: i.note.length > NOTICE_NOTE_CHARS ? i.note.slice(0, NOTICE_NOTE_CHARS - 1) + '…' : i.note,
    category: i.resourceConformsTo,
    area: i.atLocation ?? null,
    quantity: i.resourceQuantity ?? null,
    until: ends.length ? Math.min(...ends) : null,
  };
}
