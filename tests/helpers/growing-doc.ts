import * as Automerge from '@automerge/automerge';

/** One step of a growing doc: its changes (the first step's make the doc), heads before and after, and the same as a saved chunk. */
export interface GrowthStep {
  changes: Uint8Array[];
  deps: string[];
  heads: string[];
  data: Uint8Array;
}

/**
 * A doc grown by ten changes of 2,000 characters each, about 2,000 Automerge ops a step: each step alone
 * is far under any bound on one message, all of them together are not under a small bound on one doc.
 */
export function growingDoc(steps = 10, chars = 2000): GrowthStep[] {
  let doc = Automerge.from<{ notes: string }>({ notes: '' });
  const out: GrowthStep[] = [];
  for (let i = 0; i < steps; i++) {
    const before = i === 0 ? [] : Automerge.getHeads(doc);
    doc = Automerge.change(doc, (d) => Automerge.splice(d, ['notes'], d.notes.length, 0, String(i % 10).repeat(chars)));
    const changes = i === 0 ? Automerge.getAllChanges(doc) : Automerge.getChangesSince(doc, before);
    out.push({ changes, deps: before, heads: Automerge.getHeads(doc), data: i === 0 ? Automerge.save(doc) : Automerge.saveSince(doc, before) });
  }
  return out;
}
