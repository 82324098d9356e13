/** Five taps within three seconds (on the panic corner) trigger the wipe. */
export const PANIC_TAPS = { count: 5, withinMs: 3000 } as const;

/** Times of the recent taps, oldest first; never more than PANIC_TAPS.count entries. */
export type TapState = readonly number[];

export function registerTap(state: TapState, now: number, rule: { count: number; withinMs: number } = PANIC_TAPS): { state: TapState; triggered: boolean } {
  const recent = [...state, now].filter((t) => Number.isFinite(t) && t <= now && now - t < rule.withinMs).slice(-rule.count);
  if (recent.length >= rule.count) return { state: [], triggered: true };
  return { state: recent, triggered: false };
}

/** The order of a wipe: keys first, so that whatever is interrupted later is already unreadable. */
export const WIPE_ORDER = ['keys', 'indexeddb', 'caches', 'service-worker', 'leave'] as const;
export type WipeStep = (typeof WIPE_ORDER)[number];

/** The platform's side effects for each step (IndexedDB.deleteDatabase, caches.delete, …). */
export type WipeActions = Record<WipeStep, () => Promise<void> | void>;

export interface WipeReport {
  done: WipeStep[];
  failed: { step: WipeStep; error: string }[];
}

/**
 * Runs every step in WIPE_ORDER, one after another. A failing step is reported and the wipe goes on:
 * stopping half way would leave more behind than trying the rest. `leave` runs last even so.
 */
export async function runWipe(actions: WipeActions): Promise<WipeReport> {
  const report: WipeReport = { done: [], failed: [] };
  for (const step of WIPE_ORDER) {
    try {
      await actions[step]();
      report.done.push(step);
    } catch (err) {
      report.failed.push({ step, error: err instanceof Error ? err.message : String(err) });
    }
  }
  return report;
}
