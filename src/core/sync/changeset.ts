import * as Automerge from '@automerge/automerge/slim';
import type { AcceptPolicy, AnyDoc, DocAccess } from './access.ts';
import { describeDoc } from './access.ts';
import { SyncPayloadError } from './errors.ts';
import { sameHeads } from './heads.ts';
import type { ChangeSetPayload } from './payload.ts';
import { MAX_HEADS } from './payload.ts';

/** JSON form of an emitter's memory: doc id -> heads last emitted (or known carried). */
export interface EmitterState {
  version: 1;
  docs: Record<string, string[]>;
}

const HEX64 = /^[0-9a-f]{64}$/;

/**
 * Mode 2: turns doc changes into change-sets a carrier can take to islands it has never been
 * in contact with. Remembers per doc the heads it already emitted, so each change leaves once.
 */
export class ChangeSetEmitter {
  #sent = new Map<string, string[]>();

  constructor(state?: EmitterState) {
    if (state !== undefined) this.importState(state);
  }

  /**
   * The changes of `doc` not yet emitted, or null if there are none. Advances the emitter: persist the
   * returned payload (as a bundle) before persisting exportState().
   */
  emit(docId: string, doc: AnyDoc, community: string): ChangeSetPayload | null {
    const heads = Automerge.getHeads(doc);
    const deps = (this.#sent.get(docId) ?? []).filter((h) => Automerge.hasHeads(doc, [h]));
    if (sameHeads(heads, deps)) return null;
    const hashes = Automerge.getChangesMetaSince(doc, deps).map((c) => c.hash);
    this.#sent.set(docId, heads);
    if (hashes.length === 0) return null;
    return { t: 'changes', doc: docId, community, heads, deps, data: encodeChanges(doc, deps, hashes) };
  }

  /** emit() for every doc of `access` whose community is known. */
  emitAll(access: DocAccess, communityOf: (id: string, doc: AnyDoc) => string | undefined = defaultCommunity): ChangeSetPayload[] {
    const out: ChangeSetPayload[] = [];
    for (const id of access.ids()) {
      const doc = access.get(id);
      const community = doc === undefined ? undefined : communityOf(id, doc);
      if (doc === undefined || community === undefined) continue;
      const p = this.emit(id, doc, community);
      if (p) out.push(p);
    }
    return out;
  }

  /**
   * Changes up to `heads` already travel as someone else's change-set (we applied it): do not emit
   * them again. Call only after applyChangeSet() returned 'applied'.
   */
  markCarried(docId: string, heads: readonly string[]): void {
    const merged = [...new Set([...(this.#sent.get(docId) ?? []), ...heads])];
    // Over the cap, fall back to the carried heads alone: that only re-emits more, never less.
    this.#sent.set(docId, merged.length > MAX_HEADS ? [...heads] : merged);
  }

  /** Re-emit everything of this doc next time (e.g. the community lost a change-set). */
  forget(docId: string): void {
    this.#sent.delete(docId);
  }

  exportState(): EmitterState {
    return { version: 1, docs: Object.fromEntries([...this.#sent].map(([id, h]) => [id, [...h]])) };
  }

  /** Replace the memory with a stored one; throws SyncPayloadError('bad-state') if it is malformed. */
  importState(state: unknown): void {
    this.#sent = parseState(state);
  }
}

function defaultCommunity(_id: string, doc: AnyDoc): string | undefined {
  return describeDoc(doc).community;
}

/**
 * saveBundle compresses across changes (4-5x smaller than saveSince for tens of changes, and faster to
 * load); a lone change is smaller raw.
 */
function encodeChanges(doc: AnyDoc, deps: string[], hashes: string[]): Uint8Array {
  if (hashes.length < 2) return Automerge.saveSince(doc, deps);
  try {
    return Automerge.saveBundle(doc, hashes);
  } catch {
    return Automerge.saveSince(doc, deps); // saveBundle is marked experimental upstream
  }
}

function parseState(state: unknown): Map<string, string[]> {
  const bad = (why: string) => new SyncPayloadError('bad-state', why);
  if (typeof state !== 'object' || state === null) throw bad('not an object');
  const s = state as { version?: unknown; docs?: unknown };
  if (s.version !== 1) throw bad('unknown version');
  if (typeof s.docs !== 'object' || s.docs === null || Array.isArray(s.docs)) throw bad('docs is not an object');
  const out = new Map<string, string[]>();
  for (const [id, heads] of Object.entries(s.docs)) {
    if (!Array.isArray(heads) || heads.length > MAX_HEADS || !heads.every((h) => typeof h === 'string' && HEX64.test(h))) {
      throw bad(`heads of ${id.slice(0, 64)} are malformed`);
    }
    out.set(id, [...heads]);
  }
  return out;
}

export type ApplyStatus = 'applied' | 'duplicate' | 'pending' | 'refused';

export interface ApplyResult {
  status: ApplyStatus;
  /** For 'pending': change hashes the doc still needs before these changes take effect. */
  missing: string[];
}

export interface ApplyOptions {
  /** For a doc not held yet; default accepts nothing, so a relay never adopts docs by accident. */
  accepts?: AcceptPolicy;
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
  const held = access.get(p.doc);
  if (held === undefined) {
    if (!(opts.accepts ?? (() => false))(p.doc, { community: p.community })) return { status: 'refused', missing: [] };
    const fresh = loadNew(p); // throws on garbage before anything is created
    access.apply(p.doc, (cur) => (cur === undefined ? fresh : loadInto(cur, p.data)));
  } else {
    if (Automerge.hasHeads(held, p.heads)) return { status: 'duplicate', missing: [] };
    let failure: unknown;
    access.apply(p.doc, (cur) => {
      try {
        return loadInto(cur ?? Automerge.init(), p.data);
      } catch (err) {
        failure = err;
        return cur === undefined ? Automerge.init() : reloaded(cur);
      }
    });
    if (failure !== undefined) throw dataError(p, failure);
  }
  return outcome(access.get(p.doc), p);
}

function outcome(doc: AnyDoc | undefined, p: ChangeSetPayload): ApplyResult {
  if (doc !== undefined && Automerge.hasHeads(doc, p.heads)) return { status: 'applied', missing: [] };
  const missing = doc === undefined ? p.heads : Automerge.getMissingDeps(doc, p.heads);
  // A genuine out-of-order set sits in Automerge's queue; its own heads are never among the missing.
  if (p.heads.some((h) => missing.includes(h))) throw dataError(p, 'data does not contain the changes its heads name');
  return { status: 'pending', missing };
}

function loadNew(p: ChangeSetPayload): AnyDoc {
  try {
    return Automerge.loadIncremental(Automerge.init(), p.data);
  } catch (err) {
    throw dataError(p, err);
  }
}

function loadInto(doc: AnyDoc, data: Uint8Array): AnyDoc {
  return Automerge.loadIncremental(doc, data);
}

/** After a failed loadIncremental the doc's wasm state may be ahead of its JS view: rebuild it. */
function reloaded(doc: AnyDoc): AnyDoc {
  try {
    return Automerge.load(Automerge.save(doc), { actor: Automerge.getActorId(doc) });
  } catch {
    return doc;
  }
}

function dataError(p: ChangeSetPayload, err: unknown): SyncPayloadError {
  return new SyncPayloadError('bad-automerge-data', `change-set for ${p.doc}: ${String(err).slice(0, 200)}`);
}
