import { describe, expect, it } from 'vitest';
import { addKey, collectEntries, createEntry, editEntry, newSanctuaryKey, supersededKeys, versionKey } from '../../../src/core/sanctuary/index.ts';
import { resealEntry } from '../../../src/core/sanctuary/entry.ts';
import { community, NOW, plain } from './helpers.ts';

describe('one key per version of an entry', () => {
  it('Scenario: an organiser re-sealing an older version at the same time as another edits it loses no edit: the newest is read, and the older version is deleted next; a made-up later version deletes nothing', () => {
    const c = community();
    const k1 = newSanctuaryKey(1);
    const k2 = newSanctuaryKey(2);
    const ring = addKey(addKey(new Map(), k1), k2);
    const v1 = createEntry(c.s1.id, k1, plain(), NOW);
    const edited = editEntry(c.s2.id, k1, v1, plain({ title: 'Two rooms now' }), NOW + 10);
    const opened = collectEntries([v1], ring, c.ctx()).entries[0];
    const staleReseal = resealEntry(c.s3.id, k2, opened); // s3's phone had not seen the edit
    // Both land, each under its own key (one key per entry kept only whichever Automerge chose).
    const doc = new Map([[versionKey(edited), edited as unknown], [versionKey(staleReseal), staleReseal]]);
    expect(doc.size).toBe(2);
    const seen = collectEntries(doc.values(), ring, c.ctx());
    expect(seen.entries.map((e) => [e.entry.title, e.author])).toEqual([['Two rooms now', c.s2.id.agentId]]);
    expect(supersededKeys(doc, seen.entries)).toEqual([versionKey(staleReseal)]);
    // A trusted member's record claiming a much later version is not accepted, so it supersedes nothing.
    const madeUp = editEntry(c.trusted.id, k1, edited, plain({ title: 'Gone' }), NOW + 99_999);
    const withJunk = new Map([...doc, [versionKey(madeUp), madeUp as unknown], ['legacy-or-junk', 'not a record']]);
    const read = collectEntries(withJunk.values(), ring, c.ctx());
    expect(read.entries.map((e) => e.entry.title)).toEqual(['Two rooms now']);
    expect(supersededKeys(withJunk, read.entries)).toEqual([versionKey(staleReseal)]);
    // A version still under its old one-key-per-entry key goes once the same version has its own key.
    expect(supersededKeys([[edited.id, edited], [versionKey(edited), edited]], read.entries)).toEqual([edited.id]);
  });
});
