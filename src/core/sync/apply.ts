import * as Automerge from '@automerge/automerge/slim';
import { concatBytes } from '../crypto/bytes.ts';
import type { AcceptPolicy, AnyDoc, DocAccess } from './access.ts';
import { SyncPayloadError } from './errors.ts';
import { holdsHeads } from './heads.ts';
import type { ChangeSetPayload } from './payload.ts';

/**
 * The one path by which a carried change-set enters a doc (ARCHITECTURE §6). applyChangeSets takes
 * every set that arrived for a doc in one go; applyChangeSet is the same for a single set, throwing
 * where the batch reports 'bad'. Both judge "already held" with holdsHeads and the result with verdict().
 */

export type ApplyStatus = 'applied' | 'duplicate' | 'pending' | 'refused';

export interface ApplyResult {
  status: ApplyStatus;
  /** For 'pending': change hashes the doc still needs before these changes take effect. */
  missing: string[];
}

/**
 * Whether a signed change-set may be written to `docId` (who may write: the relay's write rights). For
 * a doc not held yet, `incoming()` loads the doc the change-set alone makes (undefined if it cannot), so
 * a community doc arriving for the first time can be judged by the relays its own founding names.
 */
export type WritePolicy = (docId: string, p: ChangeSetPayload, incoming: () => AnyDoc | undefined) => boolean;

export interface ApplyOptions {
  /** For a doc not held yet; default accepts nothing, so a relay never adopts docs by accident. */
  accepts?: AcceptPolicy;
  /** Checked after accepts, for every set that is not a duplicate; default allows all. */
  mayApply?: WritePolicy;
}

export interface SetOutcome {
  p: ChangeSetPayload;
  /** 'bad': the data does not hold the changes its heads name (what applyChangeSet throws for). */
  status: ApplyStatus | 'bad';
  missing: string[];
  error?: string;
}

/**
 * Apply a carried change-set. Idempotent. Changes whose dependencies are missing are held by Automerge
 * in the doc's queue and take effect when the missing ones arrive ('pending'); that queue lives in
 * memory only, so the caller should keep a 'pending' bundle and offer it again later (a repeat is
 * harmless). Throws only SyncPayloadError('bad-automerge-data') when `data` does not hold the changes
 * its `heads` name; valid changes found in it may still have been applied (they are content-addressed,
 * so that is harmless).
 */
export function applyChangeSet(access: DocAccess, p: ChangeSetPayload, opts: ApplyOptions = {}): ApplyResult {
  const refusal = screen(access.get(p.doc), p, opts);
  if (refusal) return { status: refusal.status as ApplyStatus, missing: [] };
  return throwIfBad(p, applyOne(access, p));
}

/**
 * Applies every change-set that arrived for one doc: a single load (doc not held yet) or a single
 * loadIncremental (doc held), so Automerge parses, materialises and diffs the doc once per batch rather
 * than once per set. If that load fails (missing deps on a new doc, bad data) each set goes on its own,
 * so one bad set cannot cost the others. Never throws for bad data: that set's outcome is 'bad'.
 */
export function applyChangeSets(access: DocAccess, docId: string, sets: readonly ChangeSetPayload[], opts: ApplyOptions = {}): SetOutcome[] {
  const held = access.get(docId);
  const screened = sets.map((p) => (p.doc === docId ? screen(held, p, opts) : { p, status: 'refused' as const, missing: [], error: 'change-set is for another doc' }));
  const todo = sets.filter((_, i) => screened[i] === undefined);
  if (todo.length === 0) return screened as SetOutcome[];
  const alone = loadAll(access, docId, held, todo) ? undefined : new Map(todo.map((p) => [p, applyOne(access, p)]));
  // Judged against the doc after the whole batch: a set that waited in Automerge's queue for a later
  // set of the same batch is 'applied' by it.
  const after = access.get(docId);
  return sets.map((p, i) => {
    const o = screened[i] ?? alone?.get(p);
    return o && o.status !== 'pending' ? o : verdict(after, p);
  });
}

/** The outcome for a set that is not applied at all (held already, not accepted, not allowed), or undefined. */
function screen(held: AnyDoc | undefined, p: ChangeSetPayload, opts: ApplyOptions): SetOutcome | undefined {
  if (held !== undefined && holdsHeads(held, p.heads)) return { p, status: 'duplicate', missing: [] };
  if (held === undefined && !(opts.accepts ?? (() => false))(p.doc, { community: p.community })) return { p, status: 'refused', missing: [] };
  if (opts.mayApply && !opts.mayApply(p.doc, p, () => loadAlone(p.data))) return { p, status: 'refused', missing: [], error: 'not signed by a writer of its community' };
  return undefined;
}

/** One set into its doc; its data is checked (not created from garbage) before anything is written. */
function applyOne(access: DocAccess, p: ChangeSetPayload): SetOutcome {
  let failure: unknown;
  if (access.get(p.doc) === undefined) {
    let fresh: AnyDoc;
    try {
      fresh = Automerge.loadIncremental(Automerge.init(), p.data);
    } catch (err) {
      return bad(p, err);
    }
    access.apply(p.doc, (cur) => (cur === undefined ? fresh : Automerge.loadIncremental(cur, p.data)));
  } else {
    access.apply(p.doc, (cur) => {
      try {
        return Automerge.loadIncremental(cur ?? Automerge.init(), p.data);
      } catch (err) {
        failure = err;
        return cur === undefined ? Automerge.init() : reloaded(cur);
      }
    });
  }
  return failure === undefined ? verdict(access.get(p.doc), p) : bad(p, failure);
}

/** One load for the whole batch; false (doc untouched, or repaired) when each set must go on its own. */
function loadAll(access: DocAccess, docId: string, held: AnyDoc | undefined, todo: ChangeSetPayload[]): boolean {
  const data = todo.length === 1 ? todo[0].data : concatBytes(...todo.map((p) => p.data));
  if (held === undefined) {
    let fresh: AnyDoc;
    try {
      // load() refuses changes whose deps are missing; those need loadIncremental's queue (applyOne).
      fresh = Automerge.load(data);
    } catch {
      return false;
    }
    access.apply(docId, (cur) => (cur === undefined ? fresh : Automerge.loadIncremental(cur, data)));
    return true;
  }
  let failed = false;
  access.apply(docId, (cur) => {
    const base = cur ?? Automerge.init();
    try {
      return Automerge.loadIncremental(base, data);
    } catch {
      failed = true;
      return reloaded(base);
    }
  });
  return !failed;
}

/** After loading: held ('applied'), waiting for deps ('pending'), or data that does not hold its own heads ('bad'). */
function verdict(doc: AnyDoc | undefined, p: ChangeSetPayload): SetOutcome {
  // No doc even after the load (the access did not create it yet): kept and offered again, not lost.
  if (doc === undefined) return { p, status: 'pending', missing: [...p.heads] };
  if (holdsHeads(doc, p.heads)) return { p, status: 'applied', missing: [] };
  const missing = Automerge.getMissingDeps(doc, [...p.heads]);
  // A genuine out-of-order set sits in Automerge's queue; its own heads are never among the missing.
  if (p.heads.some((h) => missing.includes(h))) return bad(p, 'data does not contain the changes its heads name');
  return { p, status: 'pending', missing };
}

function throwIfBad(p: ChangeSetPayload, o: SetOutcome): ApplyResult {
  if (o.status === 'bad') throw new SyncPayloadError('bad-automerge-data', o.error ?? `change-set for ${p.doc}`);
  return { status: o.status, missing: o.missing };
}

function bad(p: ChangeSetPayload, err: unknown): SetOutcome {
  return { p, status: 'bad', missing: [], error: `change-set for ${p.doc}: ${String(err).slice(0, 200)}` };
}

/** After a failed loadIncremental the doc's wasm state may be ahead of its JS view: rebuild it. */
function reloaded(doc: AnyDoc): AnyDoc {
  try {
    return Automerge.load(Automerge.save(doc), { actor: Automerge.getActorId(doc) });
  } catch {
    return doc;
  }
}

function loadAlone(data: Uint8Array): AnyDoc | undefined {
  try {
    return Automerge.load(data);
  } catch {
    return undefined;
  }
}
