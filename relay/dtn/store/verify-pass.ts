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
  /** the store's entry for an id */
  entryFor(id: string): Entry | undefined;
  add(e: Entry): void;
  forget(e: Entry): void;
  quarantine(e: Entry, reason: string): Promise<void>;
  /** whether to go on (false once the store is closed) */
  running(): boolean;
}

const PARALLEL = 8;

/**
 * After an open from the index snapshot: read, in the background, every header the snapshot vouched for,
 * so a file damaged while the relay was down is still found and quarantined, as the full scan at open
 * would have found it, without holding up the start. A few files at a time, yielding between batches,
 * so phones and peers are served first.
 *
 * The snapshot's names are not checked against its ids at open (one hash per bundle was half the cost
 * of opening), so a forged snapshot can pair a file with the wrong id. The file's header wins: the
 * wrong entry goes, the file's own entry comes in, and an entry that claimed the same id for another
 * file is dropped and that file read in turn (`displaced`: also the files whose snapshot entry collided
 * at open). Only wrong entries are ever dropped, so this ends after at most one read per entry.
 */
export async function verifyPass(ctx: QuarantineCtx, entries: readonly Entry[], displaced: readonly string[], hooks: VerifyHooks): Promise<VerifyOutcome> {
  const out: VerifyOutcome = { checked: 0, quarantined: 0, corrected: 0 };
  const reread = [...displaced];
  for (let i = 0; i < entries.length && hooks.running(); i += PARALLEL) {
    await Promise.all(entries.slice(i, i + PARALLEL).map((e) => verifyOne(ctx, e, hooks, out, reread)));
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  // Bounded: each name here was held by an entry dropped for being wrong, and there were `entries.length` of them.
  for (let n = 0; n < reread.length && n <= entries.length + displaced.length && hooks.running(); n++) {
    await rereadOne(ctx, reread[n]!, hooks, out, reread);
  }
  return out;
}

async function verifyOne(ctx: QuarantineCtx, e: Entry, hooks: VerifyHooks, out: VerifyOutcome, reread: string[]): Promise<void> {
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
  if (fresh.fileBytes === e.fileBytes && JSON.stringify(fresh.meta) === JSON.stringify(e.meta)) return;
  if (!hooks.current(e)) return;
  hooks.forget(e);
  settle(fresh, hooks, reread);
  out.corrected++;
}

/** A file whose snapshot entry was dropped as wrong: index what its header says. */
async function rereadOne(ctx: QuarantineCtx, name: string, hooks: VerifyHooks, out: VerifyOutcome, reread: string[]): Promise<void> {
  let fresh: Entry;
  try {
    fresh = await readEntry(ctx, name);
  } catch {
    // No entry of the store's names this file: the next open's scan deals with it (and a put of its
    // bundle may be writing it right now, so it is not quarantined from here).
    return;
  }
  out.checked++;
  if (settle(fresh, hooks, reread)) out.corrected++;
}

/** Put a verified entry in the index unless the index already holds its file; true if it was added. */
function settle(fresh: Entry, hooks: VerifyHooks, reread: string[]): boolean {
  const holder = hooks.entryFor(fresh.meta.id);
  if (holder?.name === fresh.name) return false; // indexed meanwhile (a put of the same bundle)
  if (holder) {
    // It claims this id for another file, whose name is not the id's hash: a wrong snapshot entry.
    hooks.forget(holder);
    reread.push(holder.name);
  }
  hooks.add(fresh);
  return true;
}
