import * as Automerge from '@automerge/automerge';
import { applyChangeSet, type AcceptPolicy, type AnyDoc, type ChangeSetPayload, type DocAccess } from '../../src/core/sync/index.ts';
import { concatBytes } from '../../src/core/crypto/bytes.ts';

/**
 * Applies every change-set that arrived for one doc in one go: a single load (doc not held yet) or a
 * single loadIncremental (doc held), so Automerge parses, materialises and diffs the doc once per batch
 * rather than once per bundle. Anything unusual (missing deps, bad data) falls back to the core's
 * one-by-one applyChangeSet, which knows how to queue and isolate.
 */

export type SetStatus = 'applied' | 'duplicate' | 'pending' | 'refused' | 'bad';

export interface SetOutcome {
  p: ChangeSetPayload;
  status: SetStatus;
  error?: string;
}

/**
 * True when the doc holds every change in `heads`. Automerge.hasHeads rebuilds each change to find it
 * (~10 ms for a feed of 100 offers); getMissingDeps only looks hashes up. A change still queued for a
 * missing dependency is never reported as held: its chain ends in a hash that getMissingDeps names.
 */
export function holdsHeads(doc: AnyDoc, heads: readonly string[]): boolean {
  return Automerge.getMissingDeps(doc, [...heads]).length === 0;
}

/**
 * Whether a change-set may be applied to `docId` (who signed it: see changeset-signature.ts). For a doc
 * not held yet, `incoming()` loads the doc the change-set alone makes (undefined if it cannot), so a
 * community doc arriving for the first time can be judged by the relays its own founding names.
 */
export type WritePolicy = (docId: string, p: ChangeSetPayload, incoming: () => AnyDoc | undefined) => boolean;

export function applyBatch(access: DocAccess, docId: string, sets: ChangeSetPayload[], accepts: AcceptPolicy, mayApply: WritePolicy = () => true): SetOutcome[] {
  const held = access.get(docId);
  const out: SetOutcome[] = [];
  const todo: ChangeSetPayload[] = [];
  for (const p of sets) {
    if (held !== undefined && holdsHeads(held, p.heads)) out.push({ p, status: 'duplicate' });
    else if (held === undefined && !accepts(docId, { community: p.community })) out.push({ p, status: 'refused' });
    else if (!mayApply(docId, p, () => loadAlone(p.data))) out.push({ p, status: 'refused', error: 'not signed by a relay of its community' });
    else todo.push(p);
  }
  if (todo.length === 0) return out;
  if (!loadAll(access, docId, held, todo)) return [...out, ...todo.map((p) => oneByOne(access, p, accepts))];
  const after = access.get(docId);
  for (const p of todo) out.push(judge(after, p));
  return out;
}

/** One load for the whole batch; false (doc untouched, or repaired) when the core path must take over. */
function loadAll(access: DocAccess, docId: string, held: AnyDoc | undefined, todo: ChangeSetPayload[]): boolean {
  const data = concat(todo.map((p) => p.data));
  if (held === undefined) {
    let fresh: AnyDoc;
    try {
      // load() refuses changes whose deps are missing; those need loadIncremental's queue (core path).
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

/** As the core's outcome(): held, waiting for deps, or data that does not hold its own heads. */
function judge(doc: AnyDoc | undefined, p: ChangeSetPayload): SetOutcome {
  if (doc === undefined) return { p, status: 'pending' };
  const missing = Automerge.getMissingDeps(doc, [...p.heads]);
  if (missing.length === 0) return { p, status: 'applied' };
  if (p.heads.some((h) => missing.includes(h))) return { p, status: 'bad', error: 'data does not contain the changes its heads name' };
  return { p, status: 'pending' };
}

function oneByOne(access: DocAccess, p: ChangeSetPayload, accepts: AcceptPolicy): SetOutcome {
  try {
    const { status } = applyChangeSet(access, p, { accepts });
    return { p, status };
  } catch (err) {
    return { p, status: 'bad', error: String(err) };
  }
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

const concat = (parts: Uint8Array[]): Uint8Array => (parts.length === 1 ? parts[0] : concatBytes(...parts));
