import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createIdentity } from '../../../src/core/crypto/keys.ts';
import { verifyRecord } from '../../../src/core/crypto/sign.ts';
import { recordHandOver, checkEvent } from '../../../src/core/model/event.ts';
import { readFeed } from '../../../src/core/model/feed.ts';
import { createIntent, editIntent, checkIntent, inputProblem, setIntentStatus, type IntentInput } from '../../../src/core/model/intent.ts';
import { createProfile, newFeedDoc, validMember, memberEntry } from '../../../src/core/model/community.ts';
import { matches } from '../../../src/core/model/query.ts';
import type { Intent } from '../../../src/core/model/types.ts';

// openspec/specs/offers-needs/spec.md
const me = createIdentity();
const other = createIdentity();
const NOW = 1_800_000_000_000;

const inputArb: fc.Arbitrary<IntentInput> = fc.record(
  {
    kind: fc.constantFrom('offer' as const, 'need' as const),
    category: fc.constantFrom('food', 'tools', 'other'),
    title: fc.string({ minLength: 1, maxLength: 120 }).filter((s) => s.trim().length > 0),
    description: fc.string({ maxLength: 300 }),
    quantity: fc.option(fc.record({ hasNumericalValue: fc.double({ min: 0.001, max: 1e6, noNaN: true }), hasUnit: fc.constantFrom('kg', 'h', 'items') }), { nil: undefined }),
    area: fc.option(fc.constantFrom('north', 'south'), { nil: undefined }),
    expires: fc.option(fc.integer({ min: 0, max: 2 ** 42 }), { nil: undefined }),
  },
  { requiredKeys: ['kind', 'category', 'title', 'description'] },
);

describe('intents', () => {
  it('Scenario: a created offer or need is valid, signed by its author, and says who gives or receives', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const i = createIntent(me, input, NOW);
        expect(checkIntent(i, me.agentId)).toBeNull();
        expect(i.author).toBe(me.agentId);
        if (input.kind === 'offer') expect(i.provider).toBe(me.agentId);
        else expect(i.receiver).toBe(me.agentId);
        expect(Object.values(i)).not.toContain(undefined);
      }),
      { numRuns: 100 },
    );
  });

  it('Scenario: any change to a signed record makes it rejected', () => {
    fc.assert(
      fc.property(inputArb, fc.constantFrom<keyof Intent>('name', 'note', 'status', 'resourceConformsTo', 'updated', 'atLocation'), (input, field) => {
        const i = createIntent(me, input, NOW);
        const tampered = { ...i, [field]: field === 'updated' ? i.updated + 1 : field === 'status' ? 'withdrawn' : `${String(i[field] ?? '')}x` };
        expect(checkIntent(tampered, me.agentId)).toBe('error.badSignature');
      }),
      { numRuns: 100 },
    );
  });

  it('Scenario: a record by someone else in my feed is rejected', () => {
    const theirs = createIntent(other, { kind: 'offer', category: 'food', title: 'x', description: '' }, NOW);
    expect(checkIntent(theirs, me.agentId)).toBe('error.wrongAuthor');
  });

  it('Scenario: a record re-signed by another key under my name is rejected', () => {
    const i = createIntent(other, { kind: 'offer', category: 'food', title: 'x', description: '' }, NOW);
    expect(checkIntent({ ...i, author: me.agentId, provider: me.agentId }, me.agentId)).toBe('error.badSignature');
  });

  it('Scenario: invalid input is refused with a reason', () => {
    const base: IntentInput = { kind: 'offer', category: 'food', title: 'Soup', description: '' };
    expect(inputProblem(base)).toBeNull();
    expect(inputProblem({ ...base, title: '   ' })).toBe('error.required');
    expect(inputProblem({ ...base, title: 'x'.repeat(121) })).toBe('error.tooLong');
    expect(inputProblem({ ...base, quantity: { hasNumericalValue: -1, hasUnit: 'kg' } })).toBe('error.badQuantity');
    expect(inputProblem({ ...base, quantity: { hasNumericalValue: Number.NaN, hasUnit: 'kg' } })).toBe('error.badQuantity');
    expect(inputProblem({ ...base, quantity: { hasNumericalValue: 1, hasUnit: '' } })).toBe('error.required');
    expect(inputProblem({ ...base, availableFrom: 10, availableUntil: 5 })).toBe('error.endBeforeStart');
    expect(inputProblem({ ...base, expires: 1.5 })).toBe('error.badTime');
  });

  it('Scenario: an edit is a newer signed version of the same record', () => {
    fc.assert(
      fc.property(inputArb, inputArb, (a, b) => {
        const first = createIntent(me, a, NOW);
        const second = editIntent(me, first, { ...b, kind: a.kind }, NOW);
        expect(second.id).toBe(first.id);
        expect(second.created).toBe(first.created);
        expect(second.updated).toBeGreaterThan(first.updated);
        expect(checkIntent(second, me.agentId)).toBeNull();
      }),
      { numRuns: 100 },
    );
  });

  it('Scenario: marking given records an EconomicEvent that satisfies the intent', () => {
    const offer = createIntent(me, { kind: 'offer', category: 'food', title: 'Bread', description: '', quantity: { hasNumericalValue: 2, hasUnit: 'loaves' } }, NOW);
    const event = recordHandOver(me, offer, other.agentId, 'to the neighbour', NOW + 5);
    expect(event).toMatchObject({ type: 'event', satisfies: offer.id, provider: me.agentId, receiver: other.agentId, resourceQuantity: { hasNumericalValue: 2, hasUnit: 'loaves' } });
    expect(checkEvent(event, me.agentId)).toBeNull();
    expect(checkEvent({ ...event, note: 'changed' }, me.agentId)).toBe('error.badSignature');
    const closed = setIntentStatus(me, offer, 'fulfilled', NOW + 5);
    expect(closed.status).toBe('fulfilled');
    expect(verifyRecord(closed)).toBe(true);
    expect(matches(closed, {}, NOW + 6)).toBe(false);
    expect(matches(closed, { includeClosed: true }, NOW + 6)).toBe(true);
  });
});

describe('feeds', () => {
  it('Scenario: a feed shows only its valid records and reports the rest', () => {
    const feed = newFeedDoc(me.agentId, 'c');
    const good = createIntent(me, { kind: 'need', category: 'tools', title: 'Saw', description: '' }, NOW);
    const forged = { ...createIntent(me, { kind: 'offer', category: 'food', title: 'Jam', description: '' }, NOW), name: 'Scam' };
    const foreign = createIntent(other, { kind: 'offer', category: 'food', title: 'Pie', description: '' }, NOW);
    feed.intents = { [good.id]: good, [forged.id]: forged, [foreign.id]: foreign, wrongkey: good };
    const view = readFeed(feed);
    expect(view.intents.map((i) => i.name)).toEqual(['Saw']);
    expect(view.rejected.map((r) => r.reason).sort()).toEqual(['error.badSignature', 'error.idMismatch', 'error.wrongAuthor']);
    // Good signatures are remembered, but never let a tampered copy of a verified record through.
    const again = readFeed({ ...feed, intents: { [good.id]: { ...good, name: 'Changed' } } });
    expect(again.intents).toEqual([]);
    expect(again.rejected.map((r) => r.reason)).toEqual(['error.badSignature']);
  });

  it('Scenario: malformed records never throw', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.anything()), (intents) => {
        const feed = { ...newFeedDoc(me.agentId, 'c'), intents: intents as never };
        const view = readFeed(feed);
        expect(view.intents.length + view.rejected.length).toBe(Object.keys(intents).length);
      }),
      { numRuns: 300 },
    );
  });

  it('Scenario: a member entry counts only with its own valid profile', () => {
    const p = createProfile(me, 'Ana', NOW);
    expect(validMember(me.agentId, memberEntry(me, p, 'c', 'automerge:x', NOW))).toBe(true);
    expect(validMember(other.agentId, memberEntry(me, p, 'c', 'automerge:x', NOW))).toBe(false);
    expect(validMember(me.agentId, memberEntry(me, { ...p, name: 'Eve' }, 'c', 'automerge:x', NOW))).toBe(false);
    // The entry itself is signed: nobody can point it at another feed or move it to another community.
    expect(validMember(me.agentId, { ...memberEntry(me, p, 'c', 'automerge:x', NOW), feedUrl: 'automerge:y' })).toBe(false);
    expect(validMember(me.agentId, memberEntry(me, p, 'c', 'automerge:x', NOW), 'other')).toBe(false);
  });
});

describe('queries', () => {
  it('Scenario: text search matches every word in title or description, any case', () => {
    const i = createIntent(me, { kind: 'offer', category: 'food', title: 'Fresh Apples', description: 'from the orchard', area: 'south' }, NOW);
    expect(matches(i, { text: 'apples ORCHARD' }, NOW)).toBe(true);
    expect(matches(i, { text: 'apples pears' }, NOW)).toBe(false);
    expect(matches(i, { kind: 'need' }, NOW)).toBe(false);
    expect(matches(i, { category: 'food', area: 'south' }, NOW)).toBe(true);
    expect(matches(i, { area: 'north' }, NOW)).toBe(false);
  });

  it('Scenario: expired posts are not current', () => {
    const i = createIntent(me, { kind: 'offer', category: 'food', title: 'Milk', description: '', expires: NOW + 10 }, NOW);
    expect(matches(i, {}, NOW + 5)).toBe(true);
    expect(matches(i, {}, NOW + 10)).toBe(false);
  });
});
