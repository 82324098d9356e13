import * as Automerge from '@automerge/automerge/slim';
import type { AnyDoc } from './access.ts';
import { plainScalars } from '../model/scalar-strings.ts';
import { diffSteps } from './change-runs.ts';

/** Per doc at most this many record versions are remembered (a flood of junk must not exhaust memory). */
export const MAX_HISTORY_RECORDS = 200_000;
/** Changes replayed per call at most; the rest on the next call (a reader is never stuck on one doc). */
export const MAX_CHANGES_PER_SCAN = 50_000;
/** New changes from which an update groups them into runs (decoding them costs more than a diff or two). */
const RUNS_FROM = 4;

type Path = readonly string[];

/**
 * Every version of every record ever written into some maps of one Automerge doc, whatever happened to
 * it later. Automerge keeps the whole history, so a record someone deleted or overwrote is still in the
 * change that wrote it: each change's own effect (its patches against its dependencies) is replayed
 * into an empty object, which rebuilds exactly the records that change wrote whole. Honest writers put
 * a signed record in one piece, so every version they ever wrote is found here; readers then decide
 * which versions count (signed, by the right author, latest) — see model/restore.ts.
 *
 * Incremental: each call looks only at changes it has not seen (by hash).
 */
export class SignedHistory {
  readonly #maps: readonly Path[];
  #seen = new Set<string>();
  #versions = new Map<string, Map<string, unknown[]>>();
  #sigs = new Set<string>();
  #count = 0;

  /** `maps`: paths of the maps whose values are signed records (e.g. ['intents'], ['members']); `['founding']` for a single record. */
  constructor(maps: readonly Path[]) {
    this.#maps = maps;
  }

  /**
   * A first read of a doc in which no op was ever overwritten or deleted — every op its changes made is
   * still visible, as in any honest feed — takes the records it holds now as their versions, without
   * replaying each change: that replay exported every patch of a newcomer's 10,000-post feed from wasm
   * (about 4 s of a 20 s join). Returns false, having done nothing, when it cannot: then `update`.
   *
   * Records the changes wrote whole are exactly the records now. One whose fields came from more than
   * one change (someone added a field to a signed record, without overwriting anything) is here only in
   * its current form, where a replay also finds the part its first change wrote. The current form of
   * such a record no longer matches its signature, so a caller that adopted checks the current records
   * (model/restore.ts `currentRecordsHold`) and, if one fails, calls `reset` and `update`.
   */
  adopt(doc: AnyDoc | undefined): boolean {
    if (doc === undefined || this.#seen.size > 0) return false;
    let metas: Automerge.ChangeMetadata[];
    try {
      metas = Automerge.getChangesMetaSince(doc, []);
    } catch {
      return false;
    }
    const made = metas.reduce((n, m) => n + (m.maxOp - m.startOp + 1), 0);
    if (made !== visibleOps(doc)) return false;
    for (const m of metas) this.#seen.add(m.hash);
    for (const path of this.#maps) {
      const at = get(doc, path);
      if (path.length === 1 && path[0] === 'founding') this.#keep('founding', '', at);
      else if (typeof at === 'object' && at !== null) for (const [key, rec] of Object.entries(at)) this.#keep(path.join('/'), key, rec);
    }
    return true;
  }

  /** Forgets everything, for a full `update` after an `adopt` whose records did not hold. */
  reset(): void {
    this.#seen = new Set();
    this.#versions = new Map();
    this.#sigs = new Set();
    this.#count = 0;
  }

  /** Looks at the changes of `doc` not seen yet. Never throws on doc content. */
  update(doc: AnyDoc | undefined): void {
    if (doc === undefined) return;
    let metas: Automerge.ChangeMetadata[];
    try {
      metas = Automerge.getChangesMetaSince(doc, []);
    } catch {
      return;
    }
    // A few new changes (the usual update) are diffed one by one; many (a first read) in runs, since
    // every diff walks the whole doc (change-runs.ts). Their bytes are read only then.
    let unseen = 0;
    for (const m of metas) if (!this.#seen.has(m.hash) && ++unseen >= RUNS_FROM) break;
    let changes: Automerge.Change[] | undefined;
    const changeAt = unseen < RUNS_FROM ? undefined : (i: number): Automerge.Change | undefined => (changes ??= changesOf(doc))[i];
    for (const step of diffSteps(metas, this.#seen, MAX_CHANGES_PER_SCAN, changeAt)) {
      for (const h of step.hashes) this.#seen.add(h);
      let patches: Automerge.Patch[];
      try {
        patches = Automerge.diff(doc, step.before, step.after);
      } catch {
        continue;
      }
      this.#replay(patches);
    }
  }

  #replay(patches: Automerge.Patch[]): void {
    const wanted = patches.filter((p) => this.#maps.some((m) => startsWith(p.path, m) && p.path.length >= m.length));
    if (wanted.length === 0) return;
    // Rebuild what this change wrote, under a root that already has the maps (they predate the change).
    const root: Record<string, unknown> = {};
    for (const m of this.#maps) ensure(root, m.slice(0, -1))[m[m.length - 1]] ??= {};
    for (const p of wanted) {
      try {
        Automerge.applyPatch(root, p);
      } catch {
        // A change that edits inside an existing record rebuilds no whole record: nothing to keep.
      }
    }
    for (const m of this.#maps) {
      const at = get(root, m);
      if (m.length === 1 && m[0] === 'founding') this.#keep('founding', '', at);
      else if (typeof at === 'object' && at !== null) for (const [key, rec] of Object.entries(at)) this.#keep(m.join('/'), key, rec);
    }
  }

  #keep(map: string, key: string, rec: unknown): void {
    if (typeof rec !== 'object' || rec === null) return;
    // A sealed record carries no signature outside (its author's is inside the box): its box is what
    // makes one version unlike another, so it is remembered by that instead.
    const { sig, box } = plainScalars(rec) as { sig?: unknown; box?: unknown };
    const mark = typeof sig === 'string' ? sig : typeof box === 'string' ? box : undefined;
    if (mark === undefined || this.#count >= MAX_HISTORY_RECORDS) return;
    const id = `${map}\u0000${key}\u0000${mark}`;
    if (this.#sigs.has(id)) return;
    this.#sigs.add(id);
    this.#count++;
    let byKey = this.#versions.get(map);
    if (!byKey) this.#versions.set(map, (byKey = new Map()));
    const list = byKey.get(key);
    if (list) list.push(rec);
    else byKey.set(key, [rec]);
  }

  /** Versions ever written under `key` of the map at `path` (['founding'] has the key ''). */
  versions(path: Path, key: string): readonly unknown[] {
    return this.#versions.get(path.join('/'))?.get(key) ?? [];
  }

  /** Keys of the map at `path` that ever held a signed record. */
  keys(path: Path): string[] {
    return [...(this.#versions.get(path.join('/'))?.keys() ?? [])];
  }
}

/**
 * Ops a materialized doc shows: one per map entry and list element, one per character of text (Automerge
 * makes one op per code point). Equal to the ops its changes made only if none was overwritten or
 * deleted; a conflict shows one value of several, a counter's increments are not values, so both count
 * short and rule the shortcut out (never in).
 */
function visibleOps(root: unknown): number {
  let n = 0;
  const inside = (v: unknown): void => {
    if (typeof v === 'string') {
      for (const _ of v) n++;
      return;
    }
    if (typeof v !== 'object' || v === null || Automerge.isImmutableString(v) || Automerge.isCounter(v) || v instanceof Date || v instanceof Uint8Array) return;
    for (const x of Array.isArray(v) ? v : Object.values(v)) {
      n++;
      inside(x);
    }
  };
  inside(root);
  return n;
}

/** Every change of the doc, in the order getChangesMetaSince gives their metadata (none if it cannot). */
function changesOf(doc: AnyDoc): Automerge.Change[] {
  try {
    return Automerge.getChangesSince(doc, []);
  } catch {
    return [];
  }
}

function startsWith(path: readonly Automerge.Prop[], prefix: Path): boolean {
  return prefix.every((seg, i) => path[i] === seg);
}

function ensure(root: Record<string, unknown>, path: Path): Record<string, unknown> {
  let at = root;
  for (const seg of path) at = (at[seg] ??= {}) as Record<string, unknown>;
  return at;
}

function get(root: unknown, path: Path): unknown {
  let at = root;
  for (const seg of path) at = typeof at === 'object' && at !== null ? (at as Record<string, unknown>)[seg] : undefined;
  return at;
}
