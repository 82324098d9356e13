import * as Automerge from '@automerge/automerge/slim';

/** One diff SignedHistory replays: from `before` to `after`, covering the changes `hashes`. */
export interface DiffStep {
  before: string[];
  after: string[];
  hashes: string[];
}

/**
 * Changes of more ops than this are never decoded (a step of their own): decodeChange builds a JS object
 * per op, and one hostile change of millions of ops would exhaust a phone's memory. A member entry or a
 * post is a few hundred.
 */
export const MAX_DECODED_OPS = 10_000;

/**
 * Groups a doc's unseen changes into runs that one Automerge diff replays exactly as one diff per change
 * would, so that reading a history costs a diff per run instead of per change. Each diff walks the whole
 * doc: one per change made a newcomer's first read of a community doc grow with the square of its members
 * (61 members: 224 ms of a 524 ms join, in Node).
 *
 * A change joins the run before it only when the run's combined effect still shows it whole:
 *  - it depends on exactly the heads the run ends at (a straight line: no concurrent change whose op could
 *    win a conflict and hide it from the combined diff);
 *  - none of its ops overwrites, deletes or writes into anything an earlier change of the run made (its
 *    `pred`, `obj` and `elemId` name no op of the run): so no record the run wrote is hidden or changed
 *    by a later one, and each record still comes out as the change that wrote it left it;
 *  - none of its ops overwrites or deletes an object the run wrote into (its `pred` names no such object,
 *    an object's id being the op that made it): a hostile writer who replaces a whole map (`intents = {}`)
 *    hides every record the run put into the old one from the combined diff, though not from the diff of
 *    the change that put it. Records sit in maps at the doc's top level, whose parent (the root) nobody
 *    can replace, so no further ancestor needs watching.
 * Anything else is a step of its own, diffed against its own dependencies as before. Changes must come in
 * causal order (Automerge's `getChangesMetaSince` gives them so); one whose dependencies were not walked is
 * a step of its own too. `changeAt(i)` gives the bytes of `metas[i]` (undefined: a step of its own).
 */
export function* diffSteps(metas: readonly Automerge.ChangeMetadata[], seen: ReadonlySet<string>, limit: number, changeAt?: (i: number) => Automerge.Change | undefined): Generator<DiffStep> {
  const heads = new Set<string>();
  const walked = new Set<string>();
  let run: { before: string[]; hashes: string[]; ops: OpRanges } | undefined;
  let taken = 0;
  for (let i = 0; i < metas.length; i++) {
    const m = metas[i]!;
    const unseen = !seen.has(m.hash);
    if (unseen && taken++ >= limit) break;
    const linear = m.deps.length === heads.size && m.deps.every((d) => heads.has(d));
    const small = m.maxOp - m.startOp < MAX_DECODED_OPS;
    const decoded = unseen && linear && small && changeAt ? decode(changeAt(i), m.hash) : undefined;
    if (decoded && run && !touches(decoded, run.ops)) {
      run.hashes.push(m.hash);
      run.ops.add(decoded);
    } else {
      if (run) yield { before: run.before, after: [...heads], hashes: run.hashes };
      run = undefined;
      if (decoded) run = { before: [...heads], hashes: [m.hash], ops: new OpRanges(decoded) };
      else if (unseen) yield { before: m.deps, after: [m.hash], hashes: [m.hash] };
    }
    for (const d of m.deps) heads.delete(d);
    heads.add(m.hash);
    walked.add(m.hash);
    // Out of causal order: the heads walked no longer describe a state; the rest go one by one.
    if (!m.deps.every((d) => walked.has(d))) changeAt = undefined;
  }
  if (run) yield { before: run.before, after: [...heads], hashes: run.hashes };
}

function decode(change: Automerge.Change | undefined, hash: string): Automerge.DecodedChange | undefined {
  if (!change) return undefined;
  try {
    const d = Automerge.decodeChange(change);
    return d.hash === hash ? d : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The op ids a run's changes made, per actor as one counter range (a straight line of changes makes them
 * contiguous per actor), and the objects its ops wrote into.
 */
class OpRanges {
  readonly #byActor = new Map<string, [number, number]>();
  readonly #into = new Set<string>();

  constructor(first: Automerge.DecodedChange) {
    this.add(first);
  }

  add(c: Automerge.DecodedChange): void {
    for (const op of c.ops) this.#into.add(op.obj);
    if (c.ops.length === 0) return;
    const last = c.startOp + c.ops.length - 1;
    const r = this.#byActor.get(c.actor);
    this.#byActor.set(c.actor, r ? [Math.min(r[0], c.startOp), Math.max(r[1], last)] : [c.startOp, last]);
  }

  has(id: string | undefined): boolean {
    if (id === undefined) return false;
    const at = id.indexOf('@');
    if (at < 0) return false; // _root, _head
    const r = this.#byActor.get(id.slice(at + 1));
    const counter = Number(id.slice(0, at));
    return !!r && counter >= r[0] && counter <= r[1];
  }

  wroteInto(id: string): boolean {
    return this.#into.has(id);
  }
}

/** Whether the change overwrites, deletes or writes into something the run made, or replaces an object it wrote into. */
function touches(c: Automerge.DecodedChange, made: OpRanges): boolean {
  return c.ops.some((op) => made.has(op.obj) || made.has((op as { elemId?: string }).elemId) || op.pred.some((p) => made.has(p) || made.wroteInto(p)));
}
