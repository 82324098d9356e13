import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromBase64Url, toBase64Url } from '../../../src/core/crypto/encoding.ts';
import { randomBytes } from '../../../src/core/crypto/keys.ts';
import { secretbox, secretboxOpen } from '../../../src/core/crypto/secretbox.ts';
import { signRecord } from '../../../src/core/crypto/sign.ts';
import { addKey, collectEntries, createEntry, editEntry, newSanctuaryKey, openEntry, type SanctuaryEntryRecord, type SanctuaryKey } from '../../../src/core/sanctuary/index.ts';
import { encodeContent } from '../../../src/core/sanctuary/content.ts';
import { resealEntry } from '../../../src/core/sanctuary/entry.ts';
import { community, NOW, plain } from './helpers.ts';

const ring = (...keys: SanctuaryKey[]) => keys.reduce((r, k) => addKey(r, k), new Map() as ReturnType<typeof addKey>);

type Who = ReturnType<typeof community>['s1'];

/** A record around any box contents, with the id and times given (what a hostile key holder can write). */
function boxed(by: Who, key: SanctuaryKey, inside: Parameters<typeof encodeContent>[0], id: string, updated = NOW): SanctuaryEntryRecord {
  const nonce = randomBytes(24);
  const ct = secretbox(encodeContent(inside), nonce, key.key);
  return signRecord<SanctuaryEntryRecord>({ type: 'sanctuary-entry', id, created: NOW, updated, author: by.id.agentId, epoch: key.epoch, nonce: toBase64Url(nonce), ct: toBase64Url(ct) }, by.id.signSecretKey);
}

/** An entry as phones sealed them before the writer's content was signed inside the box. */
const legacyEntry = (by: Who, key: SanctuaryKey, id: string) => boxed(by, key, plain(), id);

describe('the writer signs the content inside the box', () => {
  it('Scenario: an entry another steward carried into a new epoch is still its writer’s, even after the carrier stops being a steward', () => {
    const c = community();
    const k1 = newSanctuaryKey(1);
    const k2 = newSanctuaryKey(2);
    const rec = createEntry(c.s1.id, k1, plain(), NOW);
    const opened = collectEntries([rec], ring(k1), c.ctx()).entries[0];
    const carried = resealEntry(c.s2.id, k2, opened);
    expect(carried.author).toBe(c.s2.id.agentId);
    const demoted = c.ctx('steward', new Map([...c.scores, [c.s2.id.agentId, 0.5]]));
    const seen = collectEntries([rec, carried], ring(k1, k2), demoted);
    expect(seen.rejected).toEqual([]);
    expect(seen.entries.map((e) => [e.author, e.epoch, e.entry.title])).toEqual([[c.s1.id.agentId, 2, plain().title]]);
  });

  it('Scenario: content a non-steward wrote is refused, whoever sealed the box around it', () => {
    const c = community();
    const k1 = newSanctuaryKey(1);
    const theirs = createEntry(c.trusted.id, k1, plain(), NOW);
    const opened = openEntry(theirs, ring(k1));
    if (!opened.ok) throw new Error('should open');
    const wrapped = resealEntry(c.s1.id, k1, { ...theirs, ...opened });
    expect(collectEntries([wrapped], ring(k1), c.ctx()).rejected).toEqual([{ id: theirs.id, reason: 'author-not-steward' }]);
  });

  it('Scenario: a steward’s content moved to another id or time, or with its signature altered, is refused as forged', () => {
    const c = community();
    const k1 = newSanctuaryKey(1);
    const rec = createEntry(c.s1.id, k1, plain(), NOW);
    const opened = openEntry(rec, ring(k1));
    if (!opened.ok || !opened.content) throw new Error('should open with content');
    const moved = boxed(c.trusted, k1, opened.content, 'another-entry-id');
    const bumped = boxed(c.trusted, k1, opened.content, rec.id, NOW + 5);
    const later = resealEntry(c.trusted.id, k1, { ...rec, ...opened, content: { ...opened.content, updated: NOW + 5 } });
    const forged = resealEntry(c.trusted.id, k1, { ...rec, ...opened, content: { ...opened.content, entry: plain({ address: 'Somewhere else 1' }) } });
    const seen = collectEntries([moved, bumped, later, forged], ring(k1), c.ctx());
    expect(seen.entries).toEqual([]);
    expect(seen.rejected.map((r) => r.reason)).toEqual(['forged-content', 'forged-content', 'forged-content', 'forged-content']);
  });

  it('Scenario: an entry sealed before contents were signed is still read as its signer’s, and a steward carrying it over becomes its writer', () => {
    const c = community();
    const k1 = newSanctuaryKey(1);
    const k2 = newSanctuaryKey(2);
    const old = legacyEntry(c.s1, k1, 'old-entry-0001');
    const first = collectEntries([old], ring(k1), c.ctx());
    expect(first.entries.map((e) => [e.author, e.content])).toEqual([[c.s1.id.agentId, null]]);
    const carried = resealEntry(c.s2.id, k2, first.entries[0]);
    expect(collectEntries([carried], ring(k2), c.ctx()).entries.map((e) => e.author)).toEqual([c.s2.id.agentId]);
    expect(collectEntries([legacyEntry(c.trusted, k1, 'old-entry-0002')], ring(k1), c.ctx()).rejected).toEqual([{ id: 'old-entry-0002', reason: 'author-not-steward' }]);
  });

  it('Scenario: any entry round-trips through its box, re-sealed by anyone, and any changed byte of the box is refused (property)', () => {
    const c = community();
    const k1 = newSanctuaryKey(1);
    const k2 = newSanctuaryKey(2);
    const text = (max: number) => fc.string({ minLength: 1, maxLength: max }).filter((s) => s.trim() !== '');
    fc.assert(
      fc.property(text(120), fc.string({ maxLength: 2000 }), fc.option(text(300), { nil: undefined }), fc.nat(), fc.nat(), (title, notes, address, at, flip) => {
        const rec = createEntry(c.s1.id, k1, plain({ title, notes, address }), NOW);
        const edited = editEntry(c.s3.id, k1, rec, plain({ title, notes, address }), NOW + 1);
        const opened = collectEntries([rec, edited], ring(k1), c.ctx()).entries[0];
        expect([opened.author, opened.entry.title, opened.entry.notes, opened.entry.address]).toEqual([c.s3.id.agentId, title, notes, address]);
        const carried = resealEntry(c.vouched.id, k2, opened);
        expect(collectEntries([carried], ring(k2), c.ctx()).entries.map((e) => [e.author, e.entry.title])).toEqual([[c.s3.id.agentId, title]]);
        // One flipped bit anywhere in the box: the box does not open (Poly1305), so nothing is accepted.
        const ct = fromBase64Url(carried.ct);
        ct[at % ct.length] ^= 1 << flip % 8;
        expect(secretboxOpen(ct, fromBase64Url(carried.nonce), k2.key)).toBeNull();
      }),
      { numRuns: 60 },
    );
  });
});
