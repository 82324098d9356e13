import { errnoOf } from './errors.ts';
import type { QuarantineCtx } from './quarantine.ts';
import { RecordError } from './record.ts';
import { readEntry, type Entry } from './scan.ts';

export interface VerifyOutcome {
  checked: number;
  /** files that did not verify and were quarantined */
  quarantined: number;
  /** files intact but described differently by the snapshot: the file's own header wins */
  corrected: number;
}

export interface VerifyHooks {
  /** whether the entry is still the store's (not deleted, replaced or closed meanwhile) */
  current(e: Entry): boolean;
  quarantine(e: Entry, reason: string): Promise<void>;
  replace(old: Entry, fresh: Entry): void;
}

const PARALLEL = 8;

/**
 * After an open from the index snapshot: read, in the background, every header the snapshot vouched for,
 * so a file damaged while the relay was down is still found and quarantined, as the full scan at open
 * would have found it, without holding up the start. A few files at a time, yielding between batches,
 * so phones and peers are served first.
 */
export async function verifyPass(ctx: QuarantineCtx, entries: readonly Entry[], hooks: VerifyHooks): Promise<VerifyOutcome> {
  const out: VerifyOutcome = { checked: 0, quarantined: 0, corrected: 0 };
  for (let i = 0; i < entries.length; i += PARALLEL) {
    await Promise.all(entries.slice(i, i + PARALLEL).map((e) => verifyOne(ctx, e, hooks, out)));
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  return out;
}

async function verifyOne(ctx: QuarantineCtx, e: Entry, hooks: VerifyHooks, out: VerifyOutcome): Promise<void> {
  if (!hooks.current(e)) return;
  let fresh: Entry;
  try {
    fresh = await readEntry(ctx, e.name);
  } catch (err) {
    if (errnoOf(err) === 'ENOENT' || !hooks.current(e)) return;
    const reason = err instanceof RecordError ? err.message : `unreadable: ${errnoOf(err) ?? String(err)}`;
    await hooks.quarantine(e, reason);
    out.quarantined++;
    out.checked++;
    return;
  }
  out.checked++;
  if (fresh.fileBytes !== e.fileBytes || JSON.stringify(fresh.meta) !== JSON.stringify(e.meta)) {
    if (!hooks.current(e)) return;
    hooks.replace(e, fresh);
    out.corrected++;
  }
}
