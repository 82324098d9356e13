/** Durations, time windows and dates in plain words: agents get `now` as input and never read a clock. */
import type { Intent } from '../../src/core/model/types.ts';

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

export interface Window {
  start: number;
  end: number;
}

/** When an intent holds, clipped to now: no beginning = from now, no end = open-ended. */
export function windowOf(i: Intent, now: number): Window {
  return { start: Math.max(now, i.hasBeginning ?? now), end: i.hasEnd ?? Number.POSITIVE_INFINITY };
}

/** 0 when the windows overlap, else the gap between them in ms. */
export function windowGap(a: Window, b: Window): number {
  return Math.max(0, Math.max(a.start, b.start) - Math.min(a.end, b.end));
}

/** A date in plain words that does not depend on the reader's clock or time zone. */
export function day(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export function dayTime(ms: number): string {
  return new Date(ms).toISOString().slice(0, 16).replace('T', ' ') + ' UTC';
}
