import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromBase64Url } from '../../../src/core/crypto/encoding.ts';
import {
  PAD_MIN,
  paddedLength,
  SanctuaryInputError,
  addKey,
  collectEntries,
  createEntry,
  editEntry,
  entryProblem,
  newSanctuaryKey,
  type Keyring,
} from '../../../src/core/sanctuary/index.ts';
import { community, DAY, NOW, plain } from './helpers.ts';

const ring = (...keys: ReturnType<typeof newSanctuaryKey>[]): Keyring => keys.reduce<Keyring>((r, k) => addKey(r, k), new Map());

describe('sanctuary entries', () => {
  it('Scenario: relays and untrusted members see ciphertext only', () => {
    const c = community();
    const key = newSanctuaryKey(1);
    const rec = createEntry(c.s1.id, key, plain(), NOW);
    const text = JSON.stringify(rec);
    for (const secret of ['Spare room', 'housing', 'north', 'Calle Falsa', 'Rosa', 'step-free']) expect(text).not.toContain(secret);
    expect(Object.keys(rec).sort()).toEqual(['author', 'created', 'ct', 'epoch', 'id', 'nonce', 'sig', 'type', 'updated']);
    const { entries, rejected } = collectEntries([rec], new Map(), c.ctx());
    expect(entries).toEqual([]);
    expect(rejected).toEqual([{ id: rec.id, reason: 'no-key' }]);
  });

  it('Scenario: the ciphertext length does not reveal whether an address is present', () => {
    const c = community();
    const key = newSanctuaryKey(1);
    const withAddr = createEntry(c.s1.id, key, plain(), NOW);
    const without = createEntry(c.s1.id, key, plain({ address: undefined }), NOW);
    expect(fromBase64Url(withAddr.ct).length).toBe(fromBase64Url(without.ct).length);
    expect(fromBase64Url(withAddr.ct).length - 16).toBe(PAD_MIN);
    const long = createEntry(c.s1.id, key, plain({ notes: 'n'.repeat(1500) }), NOW);
    expect(fromBase64Url(long.ct).length - 16).toBe(2048);
    expect([1, 512, 513, 1024, 1025, 4000].map(paddedLength)).toEqual([1024, 1024, 1024, 1024, 2048, 4096]);
  });

  it('Scenario: a member holding the key reads an entry written by a steward', () => {
    const c = community();
    const key = newSanctuaryKey(1);
    const rec = createEntry(c.s1.id, key, plain(), NOW);
    const { entries, rejected } = collectEntries([rec], ring(key), c.ctx());
    expect(rejected).toEqual([]);
    expect(entries.map(({ content: _c, ...e }) => e)).toEqual([{ id: rec.id, author: c.s1.id.agentId, epoch: 1, created: NOW, updated: NOW, entry: plain() }]);
    expect(entries[0].content).toMatchObject({ type: 'sanctuary-content', id: rec.id, author: c.s1.id.agentId, entry: plain() });
    const noAddress = collectEntries([createEntry(c.s1.id, key, plain({ address: undefined }), NOW)], ring(key), c.ctx()).entries[0];
    expect('address' in noAddress.entry).toBe(false);
  });

  it('Scenario: entries that are forged, by non-stewards, under unknown keys or malformed are rejected with reasons', () => {
    const c = community();
    const key = newSanctuaryKey(1);
    const other = newSanctuaryKey(1);
    const good = createEntry(c.s1.id, key, plain(), NOW);
    const forged = { ...createEntry(c.s1.id, key, plain(), NOW), updated: NOW + 1 };
    const byTrusted = createEntry(c.trusted.id, key, plain(), NOW);
    const wrongKey = createEntry(c.s2.id, other, plain(), NOW);
    const laterEpoch = createEntry(c.s2.id, newSanctuaryKey(2), plain(), NOW);
    const { entries, rejected } = collectEntries([good, forged, byTrusted, wrongKey, laterEpoch, { type: 'sanctuary-entry' }, 42], ring(key), c.ctx());
    expect(entries.map((e) => e.id)).toEqual([good.id]);
    const reasons = Object.fromEntries(rejected.filter((r) => r.id !== '?').map((r) => [r.id, r.reason]));
    expect(reasons).toEqual({ [forged.id]: 'forged-signature', [byTrusted.id]: 'author-not-steward', [wrongKey.id]: 'cannot-decrypt', [laterEpoch.id]: 'no-key' });
    expect(rejected.filter((r) => r.id === '?').map((r) => r.reason)).toEqual(['malformed', 'malformed']);
  });

  it('Scenario: an edit replaces the entry everywhere, whatever order versions arrive in', () => {
    const c = community();
    const key = newSanctuaryKey(1);
    const v1 = createEntry(c.s1.id, key, plain(), NOW);
    const v2 = editEntry(c.s2.id, key, v1, plain({ capacity: 0, notes: 'Full until March' }), NOW);
    expect(v2.updated).toBe(NOW + 1);
    for (const order of [[v1, v2], [v2, v1]]) {
      const { entries } = collectEntries(order, ring(key), c.ctx());
      expect(entries).toHaveLength(1);
      expect(entries[0].entry.notes).toBe('Full until March');
      expect(entries[0].author).toBe(c.s2.id.agentId);
    }
  });

  it('Scenario: a steward cannot write an invalid entry', () => {
    const c = community();
    const key = newSanctuaryKey(1);
    for (const bad of [plain({ title: ' ' }), plain({ capacity: -1 }), plain({ kind: 'castle' as never }), plain({ languages: ['x'.repeat(41)] }), plain({ expires: 1.5 })]) {
      expect(() => createEntry(c.s1.id, key, bad, NOW)).toThrow(SanctuaryInputError);
    }
    expect(entryProblem({ ...plain(), extra: 1 })).toBe('sanctuary.error.unknownField');
    expect(entryProblem(plain())).toBeNull();
  });

  it('Scenario: arbitrary junk in the sanctuary doc never throws and is reported (property)', () => {
    const c = community();
    const key = newSanctuaryKey(1);
    const good = createEntry(c.s1.id, key, plain(), NOW);
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.anything(), fc.record({ type: fc.constant('sanctuary-entry'), id: fc.string(), epoch: fc.nat(), nonce: fc.string(), ct: fc.string() }))), (junk) => {
        const { entries, rejected } = collectEntries([...junk, good], ring(key), c.ctx());
        expect(entries.map((e) => e.id)).toEqual([good.id]);
        expect(rejected).toHaveLength(junk.length);
      }),
      { numRuns: 100 },
    );
  });

  it('Scenario: collected entries do not depend on record order (property)', () => {
    const c = community();
    const key = newSanctuaryKey(1);
    const v1 = createEntry(c.s1.id, key, plain(), NOW);
    const recs = [
      v1,
      editEntry(c.s1.id, key, v1, plain({ capacity: 3 }), NOW),
      createEntry(c.s2.id, key, plain({ kind: 'legal', title: 'Lawyer on call' }), NOW),
      createEntry(c.s3.id, key, plain({ kind: 'food', title: 'Pantry', expires: NOW + DAY }), NOW),
      createEntry(c.trusted.id, key, plain(), NOW),
    ];
    const expected = collectEntries(recs, ring(key), c.ctx());
    fc.assert(
      fc.property(fc.shuffledSubarray(recs, { minLength: recs.length, maxLength: recs.length }), (shuffled) => {
        expect(collectEntries(shuffled, ring(key), c.ctx())).toEqual(expected);
      }),
      { numRuns: 25 },
    );
  });
});
