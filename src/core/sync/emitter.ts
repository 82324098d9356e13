import * as Automerge from '@automerge/automerge/slim';
import type { AnyDoc, DocAccess } from './access.ts';
import { describeDoc } from './access.ts';
import { SyncPayloadError } from './errors.ts';
import { holdsHeads, sameHeads } from './heads.ts';
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
    const sent = this.#sent.get(docId) ?? [];
    // Nothing new since the record was last brought up to date: no need to look a single change up.
    if (sameHeads(heads, sent)) return null;
    const deps = sent.filter((h) => holdsHeads(doc, [h]));
    if (sameHeads(heads, deps)) {
      this.#sent.set(docId, heads);
      return null;
    }
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
   * them again. Call only after applyChangeSet(s) reported 'applied'.
   */
  markCarried(docId: string, heads: readonly string[]): void {
    const merged = [...new Set([...(this.#sent.get(docId) ?? []), ...heads])];
    // Over the cap, fall back to the carried heads alone: that only re-emits more, never less.
    this.#sent.set(docId, merged.length > MAX_HEADS ? [...heads] : merged);
  }

  /**
   * Everything the doc holds at `heads` was emitted by us or carried in by others' change-sets: the
   * record becomes exactly these heads, so the next emit() with the doc unchanged answers at once.
   */
  caughtUp(docId: string, heads: readonly string[]): void {
    if (heads.length <= MAX_HEADS) this.#sent.set(docId, [...heads]);
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
 * A doc's whole history travels as save(): a receiver loads that 2-3x faster than a change bundle (and
 * building a bundle of it first, to throw away, cost a relay 2 s of a 10,000-offer import). Otherwise
 * saveBundle compresses across changes (4-5x smaller than saveSince for tens of changes, and faster to
 * load); a lone change is smaller raw.
 */
function encodeChanges(doc: AnyDoc, deps: string[], hashes: string[]): Uint8Array {
  if (deps.length === 0) return Automerge.save(doc);
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
