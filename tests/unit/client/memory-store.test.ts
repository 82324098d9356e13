import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { indexRow } from './intent-rows.ts';
import { memoryStore } from '../../../src/client/memory-store.ts';
import type { IntentRow } from '../../../src/client/local-store.ts';
import { Store } from '../../../src/client/store.ts';

const row = indexRow;

const rowsArb = fc
  .uniqueArray(fc.record({ author: fc.constantFrom('a', 'b', 'c'), id: fc.nat(50), updated: fc.nat(10_000), status: fc.constantFrom('open', 'fulfilled') }), { selector: (r) => r.updated, maxLength: 40 })
  .map((rs) => rs.map((r) => row(r.author, r.id, r.updated, r.status)));

describe('client: the in-memory LocalStore keeps the IndexedDB store’s contract', () => {
  it('Scenario: per-author replacement, newest-first pages and open counts agree with a plain model', async () => {
    await fc.assert(
      fc.asyncProperty(rowsArb, rowsArb, fc.integer({ min: 1, max: 30 }), fc.constantFrom('a', 'b', 'c'), async (before, after, limit, author) => {
        const store = memoryStore();
        const model = new Map<string, IntentRow>();
        for (const a of ['a', 'b', 'c']) {
          const mine = before.filter((r) => r.author === a);
          await store.intents.replaceAuthor(a, mine);
          for (const r of mine) model.set(r.key, r);
        }
        const replacement = after.filter((r) => r.author === author);
        await store.intents.replaceAuthor(author, replacement);
        for (const [k, r] of model) if (r.author === author) model.delete(k);
        for (const r of replacement) model.set(r.key, r);

        const keep = (r: IntentRow) => r.updated % 3 !== 0;
        // Newest first; rows of the same moment (one from each list can share it) by key, descending, as the table promises.
        const expected = [...model.values()].filter(keep).sort((x, y) => y.updated - x.updated || (x.key < y.key ? 1 : x.key > y.key ? -1 : 0)).slice(0, limit);
        expect((await store.intents.newest(keep, limit)).map((r) => r.key)).toEqual(expected.map((r) => r.key));
        expect(await store.intents.countOpen(keep)).toBe([...model.values()].filter((r) => r.status === 'open' && keep(r)).length);
        for (const r of model.values()) expect(await store.intents.get(r.key)).toEqual(r);
      }),
      { numRuns: 200 },
    );
  });

  it('Scenario: a module’s state store tells each subscriber of every change, and stops after unsubscribe', () => {
    const s = new Store({ n: 0, name: 'x' });
    const seen: number[] = [];
    const off = s.subscribe((v) => seen.push(v.n));
    s.set({ n: 1 });
    const before = s.state;
    s.set({ n: 2 });
    expect(s.state).not.toBe(before); // a new object each change: renderers compare by reference
    off();
    s.set({ n: 3 });
    expect(seen).toEqual([0, 1, 2]);
    expect(s.state).toEqual({ n: 3, name: 'x' });
  });
});
