/**
 * The per-member count of carried hand-ins a relay keeps (relay/carried-bytes.ts), saved in its data dir so
 * a restart does not reset a member's cap. The saved file is input like any other.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CarriedBytes } from '../../../relay/carried-bytes.ts';

const member = fc.stringMatching(/^[A-Za-z0-9_-]{43}$/);
const bundleId = fc.stringMatching(/^[a-z0-9:/.-]{8,40}$/);

describe('carried hand-ins per member', () => {
  it('Scenario: what a relay saved of its members\' hand-ins is counted the same after a restart', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(member, bundleId, fc.integer({ min: 1, max: 2 ** 30 })), { maxLength: 60 }), (entries) => {
        const held = new Set(entries.map(([, id]) => id));
        const before = new CarriedBytes(1024, (id) => held.has(id));
        for (const [m, id, size] of entries) before.add(m, id, size);
        // Through JSON, as the file on disk holds it.
        const after = new CarriedBytes(1024, (id) => held.has(id));
        after.restore(JSON.parse(JSON.stringify(before.snapshot())));
        for (const [m] of entries) {
          expect(after.kept(m)).toBe(before.kept(m));
          expect(after.room(m)).toBe(before.room(m));
        }
        expect(after.members()).toBe(before.members());
      }),
    );
  });

  it('Scenario: a damaged or hostile saved file never throws and counts only well-formed entries', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (saved) => {
        const c = new CarriedBytes(1024, () => true);
        const taken = c.restore(saved);
        expect(taken).toBeGreaterThanOrEqual(0);
        expect(c.members()).toBeLessThanOrEqual(taken);
      }),
    );
    const c = new CarriedBytes(1024, (id) => id !== 'gone');
    const good = 'A'.repeat(43);
    const taken = c.restore({ [good]: { kept: 100, gone: 50, neg: -1, frac: 1.5, str: '9' }, 'not a key!': { x: 1 }, ['B'.repeat(43)]: [1, 2] });
    expect(taken).toBe(2);
    // What left the store leaves the count at the next look.
    expect(c.kept(good)).toBe(100);
    expect(c.members()).toBe(1);
  });
});
