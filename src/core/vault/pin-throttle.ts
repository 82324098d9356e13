/**
 * Wrong-PIN throttle. A 4-digit PIN has 10,000 values; at one scrypt per try (~200 ms) every one could be
 * tried in about 35 minutes. After a few free mistakes each further try waits longer, doubling up to a
 * ceiling, and the count is kept in storage so a reload does not reset it. (Someone who copies the storage
 * off the phone is not slowed by this; the scrypt cost per guess is what holds them.)
 */
export const PIN_THROTTLE = { free: 3, firstDelayMs: 30_000, maxDelayMs: 3_600_000 } as const;

/** How many wrong PINs in a row, and when the last one was entered. */
export interface PinFailures {
  count: number;
  last: number;
}

export const NO_FAILURES: PinFailures = { count: 0, last: 0 };

/** The wait after `count` wrong PINs in a row: none for the first few, then doubling to the ceiling. */
export function pinDelayMs(count: number, rule: typeof PIN_THROTTLE = PIN_THROTTLE): number {
  if (!Number.isFinite(count) || count < rule.free) return 0;
  const doublings = Math.min(count - rule.free, 30);
  return Math.min(rule.firstDelayMs * 2 ** doublings, rule.maxDelayMs);
}

/** Milliseconds until the next try is allowed (0: now). A clock set back counts as "just now". */
export function pinWaitMs(f: PinFailures, now: number): number {
  const delay = pinDelayMs(f.count);
  if (delay === 0) return 0;
  const since = now - f.last;
  return since < 0 ? delay : Math.max(0, delay - since);
}

/** Stored failures read back from disk: anything malformed counts as the strictest plausible state. */
export function parsePinFailures(raw: unknown, now: number): PinFailures {
  if (raw === undefined || raw === null) return NO_FAILURES;
  const o = raw as Partial<PinFailures>;
  const count = typeof o.count === 'number' && Number.isFinite(o.count) && o.count >= 0 ? Math.min(Math.floor(o.count), 1_000_000) : PIN_THROTTLE.free + 1;
  const last = typeof o.last === 'number' && Number.isFinite(o.last) ? o.last : now;
  return { count, last };
}

/** Whether an opted-in "wipe after N wrong PINs" is due (0 or less: never). */
export function wipeAfterWrongDue(f: PinFailures, limit: number): boolean {
  return limit > 0 && f.count >= limit;
}
