import * as A from '@automerge/automerge';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SignedHistory } from '../../../src/core/sync/signed-history.ts';
import { diffSteps, MAX_DECODED_OPS } from '../../../src/core/sync/change-runs.ts';

// openspec/specs/write-rights/spec.md — vanished signed records are found in the history, in runs of changes

type Doc = { members: Record<string, Record<string, unknown>>; settings: Record<string, Record<string, unknown>> };

/** One thing a writer (honest or not) does to the doc. */
const edit = fc.oneof(
  fc.record({ put: fc.constantFrom('a', 'b', 'c', 'd'), map: fc.constantFrom('members' as const, 'settings' as const), tags: fc.array(fc.string({ maxLength: 3 }), { maxLength: 3 }), note: fc.string({ maxLength: 6 }) }),
  fc.record({ addField: fc.constantFrom('a', 'b', 'c', 'd'), value: fc.integer() }),
  fc.record({ remove: fc.constantFrom('a', 'b', 'c', 'd') }),
  fc.record({ editTag: fc.constantFrom('a', 'b', 'c', 'd'), text: fc.string({ maxLength: 3 }) }),
  // A hostile writer replaces a whole map: what was written into the old one is in the history only.
  fc.record({ wipe: fc.constantFrom('members' as const, 'settings' as const) }),
);
/**
 * A step of the history: who writes (0–2, mostly 0: long straight lines are where runs form), what, and
 * whether they first merge another writer's doc (then their next change depends on both).
 */
const step = fc.record({
  writer: fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.nat(2) }),
  edits: fc.array(edit, { minLength: 1, maxLength: 2 }),
  mergeFrom: fc.option(fc.nat(2), { freq: 3 }),
});

let sigs = 0;
function apply(d: Doc, e: Record<string, unknown>): void {
  if ('put' in e) d[e.map as 'members'][e.put as string] = { sig: `sig-${sigs++}`, note: e.note, tags: e.tags };
  else if ('addField' in e) {
    const rec = d.members[e.addField as string];
    if (rec) rec.extra = e.value;
  } else if ('remove' in e) delete d.members[e.remove as string];
  else if ('wipe' in e) d[e.wipe as 'members'] = {};
  else {
    const tags = d.members[e.editTag as string]?.tags as string[] | undefined;
    if (tags) tags.push(e.text as string);
  }
}

/** Three writers' docs after the steps, merged into one. */
function history(steps: Array<{ writer: number; edits: Array<Record<string, unknown>>; mergeFrom: number | null }>): A.Doc<Doc> {
  const base = A.from<Doc>({ members: {}, settings: {} });
  const docs = [base, A.clone(base), A.clone(base)];
  for (const s of steps) {
    if (s.mergeFrom !== null && s.mergeFrom !== s.writer) docs[s.writer] = A.merge(docs[s.writer]!, A.clone(docs[s.mergeFrom]!));
    docs[s.writer] = A.change(docs[s.writer]!, (d) => s.edits.forEach((e) => apply(d, e)));
  }
  return A.merge(A.merge(docs[0]!, A.clone(docs[1]!)), A.clone(docs[2]!));
}

const MAPS = [['members'], ['settings']] as const;

/** A record as text with its keys sorted: diffs over different docs may list a record's fields in another order. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (typeof v === 'object' && v !== null) return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`).join(',')}}`;
  return JSON.stringify(v);
}

/** What a history found: every version under every key of both maps, in a comparable order. */
function found(h: SignedHistory): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {};
  for (const m of MAPS) for (const k of h.keys(m)) out[`${m[0]}/${k}`] = [...h.versions(m, k)].map(canonical).sort();
  return out;
}

describe('sync: a history read in runs of changes', () => {
  it('Scenario: reading a history in runs finds exactly the record versions that reading it change by change finds (property)', () => {
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 16 }), (steps) => {
        const doc = history(steps);
        // Change by change: each update sees one new change, as a phone that was there all along.
        const oneByOne = new SignedHistory(MAPS);
        let grown = A.init<Doc>();
        for (const change of A.getAllChanges(doc)) {
          [grown] = A.applyChanges(grown, [change]);
          oneByOne.update(grown);
        }
        // All at once: a newcomer's first read, in runs.
        const atOnce = new SignedHistory(MAPS);
        atOnce.update(doc);
        expect(found(atOnce)).toEqual(found(oneByOne));
      }),
      { numRuns: 300 },
    );
  });

  it('Scenario: a straight line of new records is one diff; an overwrite or a concurrent change starts another', () => {
    let doc = A.from<Doc>({ members: {}, settings: {} });
    for (const k of ['a', 'b', 'c', 'd', 'e']) doc = A.change(doc, (d) => void (d.members[k] = { sig: `s-${k}` }));
    const all = A.getChangesSince(doc, []);
    const metas = A.getChangesMetaSince(doc, []);
    const steps = [...diffSteps(metas, new Set(), 1_000, (i) => all[i])];
    // The first change makes the maps the others write into: a step of its own; then one run of five.
    expect(steps.map((s) => s.hashes.length)).toEqual([1, 5]);

    doc = A.change(doc, (d) => void (d.members.a = { sig: 's-a2' })); // an overwrite
    const concurrent = A.change(A.clone(doc), (d) => void (d.members.f = { sig: 's-f' }));
    doc = A.merge(A.change(doc, (d) => void (d.members.g = { sig: 's-g' })), concurrent);
    const all2 = A.getChangesSince(doc, []);
    const metas2 = A.getChangesMetaSince(doc, []);
    const steps2 = [...diffSteps(metas2, new Set(metas.map((m) => m.hash)), 1_000, (i) => all2[i])];
    expect(steps2.flatMap((s) => s.hashes).sort()).toEqual(metas2.slice(metas.length).map((m) => m.hash).sort());
    expect(steps2.length).toBeGreaterThanOrEqual(2); // the concurrent pair is never one run
  });

  it('Scenario: a change of more ops than a phone should hold as objects is never decoded, and is a step of its own', () => {
    let doc = A.from<Doc>({ members: {}, settings: {} });
    for (const k of ['a', 'b']) doc = A.change(doc, (d) => void (d.members[k] = { sig: `s-${k}` }));
    doc = A.change(doc, (d) => void (d.members.big = { sig: 'x'.repeat(MAX_DECODED_OPS + 1) })); // one op per character
    doc = A.change(doc, (d) => void (d.members.c = { sig: 's-c' }));
    const all = A.getChangesSince(doc, []);
    const metas = A.getChangesMetaSince(doc, []);
    const asked: number[] = [];
    const steps = [...diffSteps(metas, new Set(), 1_000, (i) => (asked.push(i), all[i]))];
    expect(asked).not.toContain(3);
    expect(steps.find((s) => s.hashes.includes(metas[3]!.hash))?.hashes).toEqual([metas[3]!.hash]);
    const h = new SignedHistory(MAPS);
    h.update(doc);
    expect(h.keys(['members']).sort()).toEqual(['a', 'b', 'big', 'c']);
  });
});
