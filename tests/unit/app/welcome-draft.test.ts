import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { keepDraft, readDraft, resumeStep, type WelcomeDraft } from '../../../src/app/features/welcome/welcome-draft.ts';

/** A Storage as the tab has it: strings by key. */
function tabStorage(): Storage & { items: Map<string, string> } {
  const items = new Map<string, string>();
  return {
    items,
    get length() {
      return items.size;
    },
    key: (i) => [...items.keys()][i] ?? null,
    getItem: (k) => items.get(k) ?? null,
    setItem: (k, v) => void items.set(k, String(v)),
    removeItem: (k) => void items.delete(k),
    clear: () => items.clear(),
  };
}

const NEW = ['language', 'name', 'pin', 'join'];
const RESTORE = ['language', 'restore', 'pin', 'join'];
const draft = (d: Partial<WelcomeDraft>): WelcomeDraft => ({ index: 3, restoring: false, name: 'Ana', invite: '', pinTyped: false, ...d });

describe('app: first-run answers across a reload', () => {
  it('Scenario: a page reloaded during first run comes back at the same question, or at the first answer not kept', () => {
    expect(resumeStep(draft({ index: 1 }), NEW)).toBe(1);
    expect(resumeStep(draft({ index: 3 }), NEW)).toBe(3);
    expect(resumeStep(draft({ index: 3, pinTyped: true }), NEW)).toBe(2); // the PIN is asked again
    expect(resumeStep(draft({ index: 3, restoring: true }), RESTORE)).toBe(1); // the backup is pasted again
    expect(resumeStep(draft({ index: 99 }), NEW)).toBe(3);
    expect(resumeStep(draft({ index: -4 }), NEW)).toBe(0);
    const storage = tabStorage();
    keepDraft(draft({ name: 'Ana', invite: 'spm-invite:x' }), storage);
    expect(readDraft(storage)).toEqual(draft({ name: 'Ana', invite: 'spm-invite:x' }));
  });

  it('Scenario: whatever the tab storage holds, reading it gives a draft of the right shape or none', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json(), fc.jsonValue().map((v) => JSON.stringify(v)), fc.record({ index: fc.integer(), restoring: fc.boolean(), name: fc.string({ maxLength: 200 }), invite: fc.string(), pinTyped: fc.boolean() }).map((r) => JSON.stringify(r))), (stored) => {
        const storage = tabStorage();
        storage.setItem('spm-welcome', stored);
        const d = readDraft(storage);
        if (d === null) return;
        expect(Number.isInteger(d.index)).toBe(true);
        expect(d.name.length).toBeLessThanOrEqual(60);
        const step = resumeStep(d, NEW);
        expect(step).toBeGreaterThanOrEqual(0);
        expect(step).toBeLessThan(NEW.length);
      }),
    );
  });
});
