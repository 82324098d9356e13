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
    return { t: 'changes', doc: docId, community, heads, deps, data: smallestEncoding(doc, deps, hashes) };
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

/** saveBundle compresses across changes (far smaller for many); a lone change is smaller raw. */
function smallestEncoding(doc: AnyDoc, deps: string[], hashes: string[]): Uint8Array {
  const raw = Automerge.saveSince(doc, deps);
  if (hashes.length < 2) return raw;
  try {
    const bundle = Automerge.saveBundle(doc, hashes);
    return bundle.length < raw.length ? bundle : raw;
  } catch {
    return raw; // saveBundle is marked experimental upstream; saveSince is the stable fallback
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
 * harmless). Throws only SyncPayloadError('bad-automerge-data').
 */
export function applyChangeSet(access: DocAccess, p: ChangeSetPayload, opts: ApplyOptions = {}): ApplyResult {
  const held = access.get(p.doc);
  if (held === undefined && !(opts.accepts ?? (() => false))(p.doc, { community: p.community })) {
    return { status: 'refused', missing: [] };
  }
  if (held !== undefined && Automerge.hasHeads(held, p.heads)) return { status: 'duplicate', missing: [] };
  // Parse into an empty doc first (cost of the payload, not of the doc): garbage is refused before the
  // held doc is touched, and for a new doc this already is the result.
  const fresh = loadOrThrow(Automerge.init(), p);
  let failure: unknown;
  access.apply(p.doc, (cur) => {
    if (cur === undefined) return fresh;
    try {
      return Automerge.loadIncremental(cur, p.data);
    } catch (err) {
      failure = err; // e.g. a forged change reusing an existing actor's sequence number
      return cur;
    }
  });
  if (failure !== undefined) throw dataError(p, failure);
  const after = access.get(p.doc) ?? fresh;
  if (Automerge.hasHeads(after, p.heads)) return { status: 'applied', missing: [] };
  return { status: 'pending', missing: Automerge.getMissingDeps(after, p.heads) };
}

function loadOrThrow(doc: AnyDoc, p: ChangeSetPayload): AnyDoc {
  try {
    return Automerge.loadIncremental(doc, p.data);
  } catch (err) {
    throw dataError(p, err);
  }
}

function dataError(p: ChangeSetPayload, err: unknown): SyncPayloadError {
  return new SyncPayloadError('bad-automerge-data', `change-set for ${p.doc}: ${String(err).slice(0, 200)}`);
}
