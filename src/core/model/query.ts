import type { Intent, IntentKind } from './types.ts';

export interface IntentFilter {
  text?: string;
  kind?: IntentKind | '';
  category?: string;
  area?: string;
  includeClosed?: boolean;
}

/** Open and not expired, unless the viewer asks for closed ones too. */
export function isCurrent(i: Intent, now: number): boolean {
  return i.status === 'open' && (i.expires === undefined || i.expires > now);
}

export function matches(i: Intent, f: IntentFilter, now: number): boolean {
  if (!f.includeClosed && !isCurrent(i, now)) return false;
  if (f.kind && i.kind !== f.kind) return false;
  if (f.category && i.resourceConformsTo !== f.category) return false;
  if (f.area && i.atLocation !== f.area) return false;
  if (f.text) {
    const words = f.text.toLowerCase().split(/\s+/).filter(Boolean);
    const hay = `${i.name} ${i.note}`.toLowerCase();
    if (!words.every((w) => hay.includes(w))) return false;
  }
  return true;
}

/** Newest first; id breaks ties so every replica shows the same order. */
export function byNewest(a: Intent, b: Intent): number {
  return b.updated - a.updated || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}
