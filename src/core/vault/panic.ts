/**
 * The panic gesture (opt-in, in Settings → Safety): press and hold a non-navigation element (the status
 * line) this long, then a countdown with an Undo button runs before the wipe. A held press cannot be a
 * stray tap, and the countdown catches the rest; nothing on the navigation wipes.
 */
export const PANIC_HOLD = { holdMs: 2000, undoSeconds: 5 } as const;

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
