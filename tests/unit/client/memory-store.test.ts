import { describe, expect, it } from 'vitest';
import { Store } from '../../../src/client/store.ts';

// The in-memory LocalStore runs the LocalStore contract beside the IndexedDB one (tests/unit/contract/local-store.test.ts).
describe('client: a module’s state store', () => {
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
